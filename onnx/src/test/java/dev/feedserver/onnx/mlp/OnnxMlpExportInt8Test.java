package dev.feedserver.onnx.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.QuantizedMlp;
import dev.feedserver.nativelib.Quantizer;
import dev.feedserver.onnx.mlp.TestMlps.Mlp;
import dev.feedserver.onnx.proto.ModelProto;
import dev.feedserver.onnx.proto.NodeProto;
import dev.feedserver.onnx.proto.TensorProto;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * exportInt8: ONNX Runtime's dynamic int8 tracks the float model, and our int8 MLP
 * ({@code QuantizedMlp}) on the same layers tracks both.
 */
class OnnxMlpExportInt8Test {

    private static final int ROWS = 2000;

    static float[] runOurs(Mlp m, float[] x, int rows) {
        try (QuantizedMlp q = QuantizedMlp.createJava(m.layers(), m.outputs())) {
            MemorySegment out = MemorySegment.ofArray(new float[rows * m.outDim()]);
            q.forward(MemorySegment.ofArray(x), rows, MemorySegment.ofArray(new byte[(int) q.scratchBytes(rows)]), out);
            return out.toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    @Test
    void int8RanksLikeFloatAndLikeOurInt8() throws Exception {
        Mlp m = TestMlps.rankerTree(21);
        float[] x = TestMlps.gaussianRows(22, ROWS, m.inDim());
        float[] exact = TestMlps.forward(m, x, ROWS);
        float[] ort = OnnxMlpExportFloatTest.runOrt(
                OnnxMlpExporter.exportInt8(m.layers(), m.outputs(), MlpExportInfo.of("t", 1)), x, ROWS, m.outDim());
        float[] ours = runOurs(m, x, ROWS);
        for (int h = 0; h < m.outDim(); h++) {
            double[] f = TestMlps.column(exact, ROWS, m.outDim(), h);
            double[] o = TestMlps.column(ort, ROWS, m.outDim(), h);
            double[] q = TestMlps.column(ours, ROWS, m.outDim(), h);
            double ortVsFloat = Ranks.spearman(f, o);
            double oursVsFloat = Ranks.spearman(f, q);
            double ortVsOurs = Ranks.spearman(o, q);
            double ortError = Ranks.meanAbsError(f, o) / Ranks.std(f);
            double ourError = Ranks.meanAbsError(f, q) / Ranks.std(f);
            System.out.printf("head %d: spearman ORT-int8/float %.5f, ours/float %.5f, ORT-int8/ours %.5f; "
                    + "mean |error| / std: ORT-int8 %.4f, ours %.4f%n", h, ortVsFloat, oursVsFloat, ortVsOurs,
                    ortError, ourError);
            assertTrue(ortVsFloat > 0.99, "head " + h + ": ORT int8 vs float spearman " + ortVsFloat);
            assertTrue(oursVsFloat > 0.99, "head " + h + ": our int8 vs float spearman " + oursVsFloat);
            assertTrue(ortVsOurs > 0.99, "head " + h + ": ORT int8 vs our int8 spearman " + ortVsOurs);
            assertTrue(ortError < 0.05, "head " + h + ": ORT int8 mean abs error / std " + ortError);
        }
    }

    @Test
    void graphIsTheDynamicQuantizationFormWithOurWeights() throws Exception {
        Mlp m = TestMlps.tree(23, 10, new int[] {6}, 1);
        ModelProto model = ModelProto.parseFrom(OnnxMlpExporter.exportInt8(m.layers(), m.outputs(),
                MlpExportInfo.of("t", 1)));
        List<String> layerOps = List.of("DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul", "Add");
        List<String> expected = new java.util.ArrayList<>(layerOps);
        expected.add("Relu");
        expected.addAll(layerOps);
        expected.add("Concat");
        assertEquals(expected, model.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());

        TensorProto wq = model.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("layer0.weight_q")).findFirst().orElseThrow();
        assertEquals(List.of(10L, 6L), wq.getDimsList());
        assertEquals(TensorProto.DataType.INT8_VALUE, wq.getDataType());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocateFrom(ValueLayout.JAVA_FLOAT, m.layers().getFirst().weights());
            MemorySegment scales = arena.allocate(ValueLayout.JAVA_FLOAT, 6);
            MemorySegment q = arena.allocate(60);
            Quantizer.get().quantizeS8Rows(w, 6, 10, 10, scales, q);
            byte[] expectedKn = new byte[60];
            for (int j = 0; j < 6; j++) {
                for (int k = 0; k < 10; k++) {
                    expectedKn[k * 6 + j] = q.get(ValueLayout.JAVA_BYTE, j * 10L + k);
                }
            }
            assertArrayEquals(expectedKn, wq.getRawData().toByteArray(), "W_q = our per-channel int8, in x out");
        }
        assertEquals("int8", model.getMetadataPropsList().stream()
                .filter(p -> p.getKey().equals(MlpExportInfo.FORM)).findFirst().orElseThrow().getValue());
    }
}
