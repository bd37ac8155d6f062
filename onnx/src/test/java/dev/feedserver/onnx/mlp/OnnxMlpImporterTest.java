package dev.feedserver.onnx.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.onnx.mlp.TestMlps.Mlp;
import dev.feedserver.onnx.proto.ModelProto;
import dev.feedserver.onnx.proto.StringStringEntryProto;
import dev.feedserver.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** importFloat: exact round trips, graphs written the MatMul + Add way, and clear refusals. */
class OnnxMlpImporterTest {

    private static void assertSameMlp(Mlp expected, ImportedMlp actual) {
        assertArrayEquals(expected.outputs(), actual.outputLayers(), "output layers");
        assertEquals(expected.layers().size(), actual.layers().size(), "layer count");
        for (int l = 0; l < expected.layers().size(); l++) {
            Layer e = expected.layers().get(l);
            Layer a = actual.layers().get(l);
            String at = "layer " + l + ": ";
            assertEquals(e.in(), a.in(), at + "in");
            assertEquals(e.out(), a.out(), at + "out");
            assertEquals(e.inputLayer(), a.inputLayer(), at + "inputLayer");
            assertEquals(e.activation(), a.activation(), at + "activation");
            assertArrayEquals(bits(e.weights()), bits(a.weights()), at + "weights bit for bit");
            if (e.bias() == null) {
                assertNull(a.bias(), at + "bias");
            } else {
                assertArrayEquals(bits(e.bias()), bits(a.bias()), at + "bias bit for bit");
            }
        }
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    /**
     * The MLP as MatMul (in x out weights) + Add + Relu, the layout PyTorch and Keras exporters
     * use: even layers keep floats in float_data, odd ones in raw_data; odd layers write the
     * bias first in the Add and as [1, out].
     */
    static byte[] matMulAddModel(Mlp m) {
        HandGraphs g = new HandGraphs().input("x", m.inDim()).output("y", m.outDim());
        String[] outs = new String[m.layers().size()];
        for (int l = 0; l < m.layers().size(); l++) {
            Layer layer = m.layers().get(l);
            String in = layer.inputLayer() < 0 ? "x" : outs[layer.inputLayer()];
            boolean odd = l % 2 == 1;
            g.constant("w" + l, HandGraphs.transpose(layer.weights(), layer.out(), layer.in()), odd, layer.in(), layer.out());
            g.node("MatMul", "mm" + l, List.of(in, "w" + l), "m" + l);
            String v = "m" + l;
            if (layer.bias() != null) {
                long[] dims = odd ? new long[] {1, layer.out()} : new long[] {layer.out()};
                g.constant("b" + l, layer.bias(), odd, dims);
                g.node("Add", "add" + l, odd ? List.of("b" + l, v) : List.of(v, "b" + l), "a" + l);
                v = "a" + l;
            }
            if (layer.activation() == Activation.RELU) {
                g.node("Relu", "relu" + l, List.of(v), "r" + l);
                v = "r" + l;
            }
            outs[l] = v;
        }
        List<String> heads = new ArrayList<>();
        for (int o : m.outputs()) {
            heads.add(outs[o]);
        }
        g.node("Concat", "cat", heads, "y", HandGraphs.intAttribute("axis", -1));
        return g.model();
    }

    @Test
    void exportedTreeAndChainImportBitIdentical() {
        Mlp tree = TestMlps.rankerTree(11);
        ImportedMlp back = OnnxMlpImporter.importFloat(
                OnnxMlpExporter.exportFloat(tree.layers(), tree.outputs(), OnnxMlpExportFloatTest.INFO));
        assertSameMlp(tree, back);
        assertEquals(OnnxMlpExportFloatTest.INFO, back.info());
        assertEquals("float", back.metadata().get(MlpExportInfo.FORM));

        SplittableRandom rnd = new SplittableRandom(12);
        Mlp chain = new Mlp(List.of(
                TestMlps.dense(rnd, 30, 20, Activation.RELU, -1, false),
                TestMlps.dense(rnd, 20, 10, Activation.NONE, 0, true),
                TestMlps.dense(rnd, 10, 5, Activation.RELU, 1, true)), new int[] {2});
        ImportedMlp chainBack = OnnxMlpImporter.importFloat(
                OnnxMlpExporter.exportFloat(chain.layers(), chain.outputs(), MlpExportInfo.of("p", 3)));
        assertSameMlp(chain, chainBack);
        assertEquals(MlpExportInfo.of("p", 3), chainBack.info());

        MlpExportInfo withProperties = new MlpExportInfo("p", 4, List.of(), "",
                java.util.Map.of("owner.version", "ranker-x", "owner.note", "a, b = c"));
        ImportedMlp propertiesBack = OnnxMlpImporter.importFloat(
                OnnxMlpExporter.exportFloat(chain.layers(), chain.outputs(), withProperties));
        assertEquals(withProperties, propertiesBack.info());
        assertEquals("ranker-x", propertiesBack.metadata().get("owner.version"));
    }

    @Test
    void matMulAddGraphImportsToTheSameLayersAndScores() throws Exception {
        Mlp m = TestMlps.rankerTree(13);
        byte[] hand = matMulAddModel(m);
        ImportedMlp imported = OnnxMlpImporter.importFloat(hand);
        assertSameMlp(m, imported);
        assertEquals(MlpExportInfo.of("hand", 0), imported.info());

        int rows = 200;
        float[] x = TestMlps.gaussianRows(14, rows, m.inDim());
        float[] handScores = OnnxMlpExportFloatTest.runOrt(hand, x, rows, m.outDim());
        byte[] reExported = OnnxMlpExporter.exportFloat(imported.layers(), imported.outputLayers(), imported.info());
        float[] exportScores = OnnxMlpExportFloatTest.runOrt(reExported, x, rows, m.outDim());
        OnnxMlpExportFloatTest.assertClose(handScores, exportScores, "MatMul+Add vs Gemm");
        OnnxMlpExportFloatTest.assertClose(TestMlps.forward(m, x, rows), exportScores, "reference");
    }

    @Test
    void gemmWithoutTransposeIdentityAndSeveralGraphOutputs() {
        SplittableRandom rnd = new SplittableRandom(15);
        Layer bottom = TestMlps.dense(rnd, 6, 4, Activation.RELU, -1, true);
        Layer head0 = TestMlps.dense(rnd, 4, 2, Activation.NONE, 0, true);
        Layer head1 = TestMlps.dense(rnd, 4, 1, Activation.NONE, 0, false);
        byte[] model = new HandGraphs().input("x", 6).output("h1", 1).output("h0", 2)
                .constant("w0", HandGraphs.transpose(bottom.weights(), 4, 6), true, 6, 4)
                .constant("b0", bottom.bias(), false, 4)
                .node("Gemm", "g0", List.of("x", "w0", "b0"), "z0", HandGraphs.intAttribute("transB", 0),
                        HandGraphs.floatAttribute("alpha", 1f))
                .node("Relu", "r0", List.of("z0"), "r0")
                .node("Identity", "id", List.of("r0"), "shared")
                .constant("w1", head0.weights(), true, 2, 4)
                .constant("b1", head0.bias(), true, 1, 2)
                .node("Gemm", "g1", List.of("shared", "w1", "b1"), "h0", HandGraphs.intAttribute("transB", 1))
                .constant("w2", head1.weights(), false, 1, 4)
                .node("Gemm", "g2", List.of("shared", "w2"), "h1", HandGraphs.intAttribute("transB", 1))
                .model();
        ImportedMlp imported = OnnxMlpImporter.importFloat(model);
        assertSameMlp(new Mlp(List.of(bottom, head0, head1), new int[] {2, 1}), imported);
    }

    private static void assertRefused(byte[] model, String... fragments) {
        UnsupportedOnnxModelException e = assertThrows(UnsupportedOnnxModelException.class,
                () -> OnnxMlpImporter.importFloat(model));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void unsupportedOpsAreNamedWithWhatIsSupported() {
        SplittableRandom rnd = new SplittableRandom(16);
        List<Layer> silu = List.of(TestMlps.dense(rnd, 8, 4, Activation.SILU, -1, true));
        assertRefused(OnnxMlpExporter.exportFloat(silu, new int[] {0}, MlpExportInfo.of("t", 0)),
                "node 'layer0.sigmoid' (op Sigmoid) is not supported", "supported: MatMul and Gemm");

        Mlp tree = TestMlps.rankerTree(17);
        assertRefused(OnnxMlpExporter.exportInt8(tree.layers(), tree.outputs(), MlpExportInfo.of("t", 0)),
                "node 'layer0.quantize' (op DynamicQuantizeLinear) is not supported");

        Layer l = TestMlps.dense(rnd, 3, 2, Activation.NONE, -1, false);
        byte[] scaled = new HandGraphs().input("x", 3).output("y", 2).constant("w", l.weights(), true, 2, 3)
                .node("Gemm", "g", List.of("x", "w"), "y", HandGraphs.intAttribute("transB", 1),
                        HandGraphs.floatAttribute("alpha", 0.5f))
                .model();
        assertRefused(scaled, "node 'g' (op Gemm) has alpha=0.5", "supported: alpha = 1");

        byte[] otherDomain = new HandGraphs().input("x", 3).output("y", 3)
                .node("FusedGemm", "f", List.of("x"), "y").model();
        ModelProto withDomain = parse(otherDomain).toBuilder()
                .setGraph(parse(otherDomain).getGraph().toBuilder()
                        .setNode(0, parse(otherDomain).getGraph().getNode(0).toBuilder().setDomain("com.microsoft")))
                .build();
        assertRefused(withDomain.toByteArray(), "node 'f' (op FusedGemm) is in domain 'com.microsoft'");
    }

    @Test
    void intermediateValuesAndLateActivationsAreRefused() {
        SplittableRandom rnd = new SplittableRandom(18);
        Layer a = TestMlps.dense(rnd, 3, 2, Activation.NONE, -1, true);
        // A head reading the pre-activation value while the graph output reads the post-activation one.
        byte[] preActivation = new HandGraphs().input("x", 3).output("y", 4)
                .constant("w", HandGraphs.transpose(a.weights(), 2, 3), true, 3, 2)
                .constant("b", a.bias(), true, 2)
                .node("MatMul", "mm", List.of("x", "w"), "m")
                .node("Add", "add", List.of("m", "b"), "z")
                .node("Relu", "relu", List.of("z"), "r")
                .node("Concat", "cat", List.of("r", "z"), "y", HandGraphs.intAttribute("axis", 1))
                .model();
        assertRefused(preActivation, "node 'cat' (op Concat) uses 'z', an intermediate of layer 0");

        byte[] lateRelu = new HandGraphs().input("x", 3).output("y", 2).output("r", 2)
                .constant("w", HandGraphs.transpose(a.weights(), 2, 3), true, 3, 2)
                .node("MatMul", "mm", List.of("x", "w"), "m")
                .node("Concat", "cat", List.of("m"), "y", HandGraphs.intAttribute("axis", 1))
                .node("Relu", "relu", List.of("m"), "r")
                .model();
        assertRefused(lateRelu, "node 'relu' (op Relu) changes layer 0 after its output was used by node 'cat'");

        byte[] reluFirst = new HandGraphs().input("x", 3).output("y", 2)
                .node("Relu", "relu", List.of("x"), "y").model();
        assertRefused(reluFirst, "node 'relu' (op Relu) acts on the model input");

        byte[] axis0 = new HandGraphs().input("x", 3).output("y", 2)
                .constant("w", a.weights(), true, 2, 3)
                .node("Gemm", "g", List.of("x", "w"), "m", HandGraphs.intAttribute("transB", 1))
                .node("Concat", "cat", List.of("m", "m"), "y", HandGraphs.intAttribute("axis", 0))
                .model();
        assertRefused(axis0, "node 'cat' (op Concat) concatenates on axis 0");

        byte[] wrongWidth = new HandGraphs().input("x", 5).output("y", 2)
                .constant("w", a.weights(), true, 2, 3)
                .node("Gemm", "g", List.of("x", "w"), "y", HandGraphs.intAttribute("transB", 1))
                .model();
        assertRefused(wrongWidth, "node 'g' (op Gemm) has weights for 3 inputs but its input 'x' has width 5");
    }

    @Test
    void weightsMustBeFloatConstantsInsideTheModel() {
        byte[] computedWeights = new HandGraphs().input("x", 3).output("y", 3)
                .node("MatMul", "mm", List.of("x", "x"), "y").model();
        assertRefused(computedWeights, "node 'mm' (op MatMul) takes its weights (B) from 'x', which is not an initializer");

        TensorProto external = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(3).addDims(2).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")).build();
        byte[] externalModel = new HandGraphs().input("x", 3).output("y", 2).tensor(external)
                .node("MatMul", "mm", List.of("x", "w"), "y").model();
        assertRefused(externalModel, "tensor 'w' keeps its data in an external file");

        TensorProto doubles = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.DOUBLE_VALUE)
                .addDims(3).addDims(2).addAllDoubleData(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)).build();
        byte[] doubleModel = new HandGraphs().input("x", 3).output("y", 2).tensor(doubles)
                .node("MatMul", "mm", List.of("x", "w"), "y").model();
        assertRefused(doubleModel, "tensor 'w' has data_type 11; only FLOAT (1)");

        byte[] shortRaw = new HandGraphs().input("x", 3).output("y", 2)
                .constant("w", new float[5], true, 3, 2)
                .node("MatMul", "mm", List.of("x", "w"), "y").model();
        assertRefused(shortRaw, "tensor 'w' has 20 bytes of raw_data but its shape needs 24");
    }

    @Test
    void bytesThatAreNotAnOnnxModelAreRefused() {
        assertRefused(new byte[0], "not an ONNX model: no bytes");
        assertRefused(null, "not an ONNX model: no bytes");
        assertRefused(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, "not an ONNX model");
        assertRefused("hello, this is not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "not an ONNX model");
        byte[] noGraph = ModelProto.newBuilder().setIrVersion(8).build().toByteArray();
        assertRefused(noGraph, "not an ONNX model: no graph");

        Mlp tree = TestMlps.rankerTree(19);
        byte[] good = OnnxMlpExporter.exportFloat(tree.layers(), tree.outputs(), MlpExportInfo.of("t", 0));
        assertRefused(java.util.Arrays.copyOf(good, good.length / 2), "not an ONNX model");
    }

    private static ModelProto parse(byte[] model) {
        try {
            return ModelProto.parseFrom(model);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
