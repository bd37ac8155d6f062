package dev.feedserver.onnx.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.onnx.proto.ModelProto;
import dev.feedserver.onnx.proto.StringStringEntryProto;
import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.RankerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * RankerOnnx: the exported ranker runs in ONNX Runtime as {@code forwardDense} computes, imports
 * back bit for bit with its version, schema and weights, its int8 form ranks like float, and
 * graphs of another width or shape are refused with a message naming the difference.
 */
class RankerOnnxTest {

    static final FeatureSchema SCHEMA = new FeatureSchema(8, 16, 4, 3, 8);
    private static final int ROWS = 500;

    /** A small ranker with random weights and random (non-zero) biases. */
    static RankerModel model(long seed) {
        List<Layer> layers = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (Layer l : RankerModel.initialise(SCHEMA, 32, 16, seed, "unused").denseLayers()) {
            float[] bias = new float[l.out()];
            for (int j = 0; j < bias.length; j++) {
                bias[j] = (float) (0.1 * random.nextGaussian());
            }
            layers.add(new Layer(l.in(), l.out(), l.weights(), bias, l.activation(), l.inputLayer()));
        }
        return RankerModel.fromLayers(SCHEMA, layers, "ranker-test-" + seed, ObjectiveWeights.DEFAULT.with("negative:-2"));
    }

    /** Rows like the real ones: a quarter zeros, the rest standard normal. */
    static float[] rows(long seed, int rows, int width) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(4) == 0 ? 0f : (float) random.nextGaussian();
        }
        return x;
    }

    static float[] reference(RankerModel m, float[] x, int rows) {
        float[] out = new float[rows * Objective.COUNT];
        float[] logits = new float[Objective.COUNT];
        for (int r = 0; r < rows; r++) {
            m.forwardDense(x, r * SCHEMA.width(), logits);
            System.arraycopy(logits, 0, out, r * Objective.COUNT, Objective.COUNT);
        }
        return out;
    }

    @Test
    void floatExportRunsAsForwardDense() throws Exception {
        RankerModel m = model(1);
        float[] x = rows(2, ROWS, SCHEMA.width());
        float[] ort = OnnxMlpExportFloatTest.runOrt(RankerOnnx.exportFloat(m), x, ROWS, Objective.COUNT);
        OnnxMlpExportFloatTest.assertClose(reference(m, x, ROWS), ort, "ranker float");
    }

    @Test
    void exportNamesTheHeadsAndStoresVersionAndSchema() throws Exception {
        RankerModel m = model(3);
        ModelProto proto = ModelProto.parseFrom(RankerOnnx.exportFloat(m));
        Map<String, String> meta = proto.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
        assertEquals("click,like,long_dwell,negative", meta.get(MlpExportInfo.HEAD_NAMES));
        assertEquals("1,1,1,1", meta.get(MlpExportInfo.HEAD_WIDTHS));
        assertEquals(SCHEMA.id(), meta.get(MlpExportInfo.FEATURE_SCHEMA_ID));
        assertEquals("ranker-test-3", meta.get(RankerOnnxMetadata.VERSION));
        assertEquals("8", meta.get(RankerOnnxMetadata.FACTOR_DIM));
        assertEquals("16", meta.get(RankerOnnxMetadata.CONTENT_DIM));
        assertEquals("4", meta.get(RankerOnnxMetadata.CLUSTERS));
        assertEquals("3", meta.get(RankerOnnxMetadata.HISTORY_LENGTH));
        assertEquals("8", meta.get(RankerOnnxMetadata.TAG_BUCKETS));
        assertEquals(RankerOnnx.PRODUCER, proto.getProducerName());
        assertEquals(SCHEMA.width(), proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
    }

    @Test
    void importOfTheFloatExportIsBitIdentical() {
        RankerModel m = model(4);
        byte[] onnx = RankerOnnx.exportFloat(m);
        RankerModel back = RankerOnnx.importFloat(onnx, null);
        assertSameWeights(m, back);
        assertEquals(m.version(), back.version());
        assertEquals(SCHEMA, back.schema());
        assertEquals(m.defaultWeights(), back.defaultWeights());
        assertEquals("renamed", RankerOnnx.importFloat(onnx, "renamed").version());
        assertSameWeights(m, RankerOnnx.importFloat(onnx, SCHEMA, null));
    }

    @Test
    void int8ExportTracksForwardDense() throws Exception {
        RankerModel m = model(5);
        float[] x = rows(6, ROWS, SCHEMA.width());
        float[] exact = reference(m, x, ROWS);
        float[] int8 = OnnxMlpExportFloatTest.runOrt(RankerOnnx.exportInt8(m), x, ROWS, Objective.COUNT);
        for (Objective o : Objective.values()) {
            double rho = Ranks.spearman(TestMlps.column(exact, ROWS, Objective.COUNT, o.ordinal()),
                    TestMlps.column(int8, ROWS, Objective.COUNT, o.ordinal()));
            System.out.printf("ranker int8 ORT vs forwardDense, %s head: spearman %.5f%n", o.wireName(), rho);
            if (o == Objective.CLICK) {
                assertTrue(rho > 0.99, "click head spearman " + rho);
            }
        }
        UnsupportedOnnxModelException e = assertThrows(UnsupportedOnnxModelException.class,
                () -> RankerOnnx.importFloat(RankerOnnx.exportInt8(m), null));
        assertTrue(e.getMessage().contains("DynamicQuantizeLinear"), e.getMessage());
    }

    @Test
    void aGraphOfAnotherInputWidthIsRefused() {
        RankerModel m = model(7);
        List<Layer> layers = new ArrayList<>(RankerHeads.split(m.denseLayers()));
        Layer l0 = layers.getFirst();
        int wider = l0.in() + 1;
        float[] w = new float[l0.out() * wider];
        for (int j = 0; j < l0.out(); j++) {
            System.arraycopy(l0.weights(), j * l0.in(), w, j * wider, l0.in());
        }
        layers.set(0, new Layer(wider, l0.out(), w, l0.bias(), l0.activation(), -1));
        // The tampered graph still claims the ranker's schema in its metadata.
        byte[] tampered = OnnxMlpExporter.exportFloat(layers, RankerHeads.SPLIT_OUTPUTS, RankerOnnx.info(m));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RankerOnnx.importFloat(tampered, null));
        assertEquals("the graph's input is " + wider + " floats wide but feature schema " + SCHEMA.id() + " is "
                + SCHEMA.width(), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RankerOnnx.importFloat(tampered, SCHEMA, "v"));
        assertTrue(e.getMessage().contains(wider + " floats wide"), e.getMessage());
    }

    @Test
    void aGraphWithoutRankerMetadataNeedsAnExplicitSchema() {
        RankerModel m = model(8);
        // Another tool's graph: one head layer of 4 outputs, no names, no schema, no version.
        byte[] plain = OnnxMlpExporter.exportFloat(m.denseLayers(), new int[] {RankerModel.OUTPUT_LAYER},
                MlpExportInfo.of("other-tool", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RankerOnnx.importFloat(plain, "v"));
        assertTrue(e.getMessage().contains("stores no feature schema"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RankerOnnx.importFloat(plain, SCHEMA, null));
        assertTrue(e.getMessage().contains("stores no ranker version"), e.getMessage());

        RankerModel back = RankerOnnx.importFloat(plain, SCHEMA, "from-other-tool");
        assertSameWeights(m, back);
        assertEquals(ObjectiveWeights.DEFAULT, back.defaultWeights());

        FeatureSchema other = new FeatureSchema(8, 16, 4, 3, 9);
        e = assertThrows(IllegalArgumentException.class, () -> RankerOnnx.importFloat(plain, other, "v"));
        assertTrue(e.getMessage().contains("is " + other.width()), e.getMessage());
        byte[] exported = RankerOnnx.exportFloat(m);
        e = assertThrows(IllegalArgumentException.class, () -> RankerOnnx.importFloat(exported, other, "v"));
        assertEquals("the model was exported for feature schema " + SCHEMA.id() + ", not " + other.id(), e.getMessage());
    }

    @Test
    void headsInAnotherOrderOrShapeAreRefused() {
        RankerModel m = model(9);
        List<Layer> split = RankerHeads.split(m.denseLayers());
        MlpExportInfo info = RankerOnnx.info(m);
        MlpExportInfo swapped = new MlpExportInfo(info.producer(), 0, List.of("like", "click", "long_dwell", "negative"),
                info.featureSchemaId(), info.properties());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RankerOnnx.importFloat(
                OnnxMlpExporter.exportFloat(split, RankerHeads.SPLIT_OUTPUTS, swapped), null));
        assertTrue(e.getMessage().contains("[like, click, long_dwell, negative]"), e.getMessage());

        MlpExportInfo unnamed = new MlpExportInfo(info.producer(), 0, List.of(), info.featureSchemaId(), info.properties());
        e = assertThrows(IllegalArgumentException.class, () -> RankerOnnx.importFloat(
                OnnxMlpExporter.exportFloat(split, new int[] {2, 3, 4}, unnamed), null));
        assertTrue(e.getMessage().contains("3 output layers"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> RankerOnnx.importFloat(
                OnnxMlpExporter.exportFloat(m.denseLayers().subList(0, 2), new int[] {1}, unnamed), null));
        assertTrue(e.getMessage().contains("3 dense layers"), e.getMessage());
    }

    static void assertSameWeights(RankerModel expected, RankerModel actual) {
        List<Layer> a = expected.denseLayers();
        List<Layer> b = actual.denseLayers();
        assertEquals(a.size(), b.size());
        for (int l = 0; l < a.size(); l++) {
            // assertArrayEquals on floats compares bits.
            assertArrayEquals(a.get(l).weights(), b.get(l).weights(), "layer " + l + " weights");
            assertArrayEquals(a.get(l).bias(), b.get(l).bias(), "layer " + l + " bias");
            assertEquals(a.get(l).activation(), b.get(l).activation());
        }
    }
}
