package dev.feedserver.onnx.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OrtSession;
import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.onnx.OnnxSessions;
import dev.feedserver.onnx.mlp.TestMlps.Mlp;
import dev.feedserver.onnx.proto.ModelProto;
import dev.feedserver.onnx.proto.NodeProto;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** exportFloat: ONNX Runtime computes what a float64 reference computes, for trees, chains and every activation. */
class OnnxMlpExportFloatTest {

    static final MlpExportInfo INFO = new MlpExportInfo("feedserver-test", 7, List.of("click", "like", "share", "dwell"),
            "features-v3");

    /** |a - b| <= 1e-4, or relative 1e-4 once |b| > 1. */
    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-4 * Math.max(1, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance,
                    what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
        }
    }

    static float[] runOrt(byte[] model, float[] x, int rows, int outDim) throws Exception {
        float[] out = new float[rows * outDim];
        try (OnnxMlpRunner runner = new OnnxMlpRunner(model)) {
            runner.run(x, rows, out);
        }
        return out;
    }

    @Test
    void treeMatchesTheReference() throws Exception {
        Mlp m = TestMlps.rankerTree(1);
        int rows = 500;
        float[] x = TestMlps.gaussianRows(2, rows, m.inDim());
        byte[] model = OnnxMlpExporter.exportFloat(m.layers(), m.outputs(), INFO);
        assertClose(TestMlps.forward(m, x, rows), runOrt(model, x, rows, m.outDim()), "tree");
    }

    @Test
    void chainWithEveryActivationAndNoBiasMatchesTheReference() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        List<Layer> layers = List.of(
                TestMlps.dense(rnd, 40, 24, Activation.SILU, -1, true),
                TestMlps.dense(rnd, 24, 16, Activation.GELU, 0, false),
                TestMlps.dense(rnd, 16, 8, Activation.RELU, 1, true),
                TestMlps.dense(rnd, 8, 3, Activation.NONE, 2, true));
        Mlp m = new Mlp(layers, new int[] {3});
        int rows = 300;
        float[] x = TestMlps.gaussianRows(4, rows, 40);
        byte[] model = OnnxMlpExporter.exportFloat(layers, m.outputs(), MlpExportInfo.of("t", 1));
        assertClose(TestMlps.forward(m, x, rows), runOrt(model, x, rows, 3), "chain");
    }

    @Test
    void outputsMayRepeatAndIncludeInnerLayers() throws Exception {
        Mlp tree = TestMlps.tree(5, 20, new int[] {12}, 2);
        Mlp m = new Mlp(tree.layers(), new int[] {2, 0, 1, 2});
        int rows = 64;
        float[] x = TestMlps.gaussianRows(6, rows, 20);
        byte[] model = OnnxMlpExporter.exportFloat(m.layers(), m.outputs(), MlpExportInfo.of("t", 1));
        assertClose(TestMlps.forward(m, x, rows), runOrt(model, x, rows, m.outDim()), "outputs");
    }

    @Test
    void headerAndMetadataCarryTheInfo() throws Exception {
        Mlp m = TestMlps.rankerTree(7);
        byte[] model = OnnxMlpExporter.exportFloat(m.layers(), m.outputs(), INFO);
        ModelProto proto = ModelProto.parseFrom(model);
        assertEquals(OnnxGraphWriter.IR_VERSION, proto.getIrVersion());
        assertEquals(OnnxGraphWriter.OPSET, proto.getOpsetImport(0).getVersion());
        assertEquals(List.of("Gemm", "Relu", "Gemm", "Relu", "Gemm", "Gemm", "Gemm", "Gemm", "Concat"),
                proto.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
        assertEquals("batch", proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        try (OrtSession session = OnnxSessions.open(model, 1, false)) {
            OnnxModelMetadata meta = session.getMetadata();
            assertEquals("feedserver-test", meta.getProducerName());
            assertEquals(7, meta.getVersion());
            assertEquals("click,like,share,dwell", meta.getCustomMetadataValue(MlpExportInfo.HEAD_NAMES).orElseThrow());
            assertEquals("1,1,1,1", meta.getCustomMetadataValue(MlpExportInfo.HEAD_WIDTHS).orElseThrow());
            assertEquals("features-v3", meta.getCustomMetadataValue(MlpExportInfo.FEATURE_SCHEMA_ID).orElseThrow());
            assertEquals("float", meta.getCustomMetadataValue(MlpExportInfo.FORM).orElseThrow());
        }
    }

    @Test
    void invalidModelsAreRefusedBeforeWriting() {
        Mlp m = TestMlps.rankerTree(8);
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> OnnxMlpExporter.exportFloat(m.layers(), new int[] {2, 3}, INFO));
        assertTrue(heads.getMessage().contains("4 head names but there are 2 output layers"), heads.getMessage());

        Layer good = m.layers().get(0);
        Layer forward = new Layer(good.in(), good.out(), good.weights(), good.bias(), Activation.RELU, 1);
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> OnnxMlpExporter.exportInt8(List.of(forward, m.layers().get(1)), new int[] {1}, INFO));
        assertTrue(order.getMessage().contains("layer 0: inputLayer must be -1"), order.getMessage());

        float[] w = good.weights().clone();
        w[5] = Float.NaN;
        Layer nan = new Layer(good.in(), good.out(), w, null, Activation.NONE, -1);
        IllegalArgumentException finite = assertThrows(IllegalArgumentException.class,
                () -> OnnxMlpExporter.exportFloat(List.of(nan), new int[] {0}, MlpExportInfo.of("t", 0)));
        assertTrue(finite.getMessage().contains("weights[5] is not finite"), finite.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new MlpExportInfo("t", 0, List.of("a,b"), ""));
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> new MlpExportInfo("t", 0, List.of(), "", java.util.Map.of(MlpExportInfo.FORM, "int4")));
        assertTrue(reserved.getMessage().contains("written by the exporter"), reserved.getMessage());
    }
}
