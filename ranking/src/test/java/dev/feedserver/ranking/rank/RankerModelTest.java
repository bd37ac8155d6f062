package dev.feedserver.ranking.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.Int8Gemm;
import dev.feedserver.nativelib.QuantizedMlp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankerModelTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema(8, 12, 4, 3, 8);

    /** Random sparse-ish inputs like the real ones: some zeros, some one-hots, mostly small values. */
    private static float[] randomRow(SplittableRandom random, int width) {
        float[] x = new float[width];
        for (int i = 0; i < width; i++) {
            x[i] = random.nextInt(4) == 0 ? 0f : (float) random.nextGaussian();
        }
        return x;
    }

    private static RankerModel randomModel(long seed) {
        RankerModel model = RankerModel.initialise(SCHEMA, 32, 16, seed, "test-" + seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (float[] bias : new float[][] {model.b0, model.b1, model.bh}) {
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (0.1 * random.nextGaussian());
            }
        }
        return model;
    }

    @Test
    void theSplitFirstLayerComputesTheDenseFunction() {
        RankerModel model = randomModel(3);
        SplittableRandom random = new SplittableRandom(5);
        int request = SCHEMA.width(FeatureScope.REQUEST);
        int item = SCHEMA.width(FeatureScope.ITEM);
        int candidate = SCHEMA.width(FeatureScope.CANDIDATE);
        float[] dense = new float[SCHEMA.width()];
        float[] dLogits = new float[Objective.COUNT];
        float[] sLogits = new float[Objective.COUNT];
        float[] r = new float[32];
        float[] i = new float[32];
        float[] c = new float[32];
        float[] pre = new float[32];
        for (int trial = 0; trial < 200; trial++) {
            float[] x = randomRow(random, SCHEMA.width());
            System.arraycopy(x, 0, dense, 0, x.length);
            model.forwardDense(dense, 0, dLogits);
            model.partial(FeatureScope.REQUEST, x, 0, r);
            model.partial(FeatureScope.ITEM, x, request, i);
            model.partial(FeatureScope.CANDIDATE, x, request + item, c);
            assertEquals(SCHEMA.width(), request + item + candidate);
            for (int j = 0; j < pre.length; j++) {
                pre[j] = r[j] + i[j] + c[j];
            }
            model.forwardFromFirstLayer(pre, sLogits, new float[16]);
            for (int h = 0; h < Objective.COUNT; h++) {
                assertEquals(dLogits[h], sLogits[h], 1e-4f * Math.max(1f, Math.abs(dLogits[h])), "trial " + trial + " head " + h);
            }
        }
    }

    @Test
    void layersForTheNativeMlpAreTheSameNetwork() {
        RankerModel model = randomModel(9);
        var dense = model.denseLayers();
        assertEquals(3, dense.size());
        assertEquals(SCHEMA.width(), dense.get(0).in());
        assertEquals(SCHEMA.width(FeatureScope.CANDIDATE), model.candidateLayers().get(0).in());
        // Output-major layer 0 of the dense network, column k = input k.
        float[] x = randomRow(new SplittableRandom(2), SCHEMA.width());
        float[] viaLayers = new float[Objective.COUNT];
        float[] a0 = new float[32];
        float[] w = dense.get(0).weights();
        for (int j = 0; j < 32; j++) {
            float s = dense.get(0).bias()[j];
            for (int k = 0; k < SCHEMA.width(); k++) {
                s += w[j * SCHEMA.width() + k] * x[k];
            }
            a0[j] = Math.max(0, s);
        }
        float[] a1 = new float[16];
        for (int j = 0; j < 16; j++) {
            float s = dense.get(1).bias()[j];
            for (int k = 0; k < 32; k++) {
                s += dense.get(1).weights()[j * 32 + k] * a0[k];
            }
            a1[j] = Math.max(0, s);
        }
        for (int h = 0; h < Objective.COUNT; h++) {
            float s = dense.get(2).bias()[h];
            for (int k = 0; k < 16; k++) {
                s += dense.get(2).weights()[h * 16 + k] * a1[k];
            }
            viaLayers[h] = s;
        }
        float[] direct = new float[Objective.COUNT];
        model.forwardDense(x, 0, direct);
        assertArrayEquals(direct, viaLayers, 1e-4f);
    }

    @Test
    void fromLayersIsTheExactInverseOfDenseLayers() {
        RankerModel model = randomModel(12);
        ObjectiveWeights weights = ObjectiveWeights.DEFAULT.with("like:0.75");
        RankerModel back = RankerModel.fromLayers(SCHEMA, model.denseLayers(), "back-12", weights);
        assertEquals(SCHEMA, back.schema());
        assertEquals("back-12", back.version());
        assertEquals(weights, back.defaultWeights());
        assertEquals(32, back.hidden1());
        assertEquals(16, back.hidden2());
        // assertArrayEquals on floats compares bits: the round trip adds no arithmetic.
        assertArrayEquals(model.w0, back.w0);
        assertArrayEquals(model.b0, back.b0);
        assertArrayEquals(model.w1, back.w1);
        assertArrayEquals(model.b1, back.b1);
        assertArrayEquals(model.wh, back.wh);
        assertArrayEquals(model.bh, back.bh);

        List<QuantizedMlp.Layer> noBias = new ArrayList<>();
        for (QuantizedMlp.Layer l : model.denseLayers()) {
            noBias.add(new QuantizedMlp.Layer(l.in(), l.out(), l.weights(), null, l.activation(), l.inputLayer()));
        }
        RankerModel zeros = RankerModel.fromLayers(SCHEMA, noBias, "zeros", ObjectiveWeights.DEFAULT);
        assertArrayEquals(new float[32], zeros.b0);
        assertArrayEquals(new float[Objective.COUNT], zeros.bh);
        assertArrayEquals(model.wh, zeros.wh);
    }

    @Test
    void fromLayersRefusesEveryOtherShape() {
        List<QuantizedMlp.Layer> good = randomModel(13).denseLayers();
        QuantizedMlp.Layer l0 = good.get(0);
        QuantizedMlp.Layer l1 = good.get(1);
        QuantizedMlp.Layer l2 = good.get(2);
        assertRefused(List.of(l0, l1), "3 dense layers");
        assertRefused(List.of(l0, l1, l2), new FeatureSchema(8, 12, 4, 3, 9), "is " + new FeatureSchema(8, 12, 4, 3, 9).width() + " floats wide");
        assertRefused(List.of(withActivation(l0, Int8Gemm.Activation.GELU), l1, l2), "activation GELU");
        assertRefused(List.of(l0, l1, withActivation(l2, Int8Gemm.Activation.RELU)), "activation RELU");
        assertRefused(List.of(l0, l1, new QuantizedMlp.Layer(32, 4, new float[32 * 4], null, Int8Gemm.Activation.NONE, 0)),
                "layer 2 reads layer 0; in the ranker it reads layer 1");
        assertRefused(List.of(l0, l1, new QuantizedMlp.Layer(16, 3, new float[16 * 3], null, Int8Gemm.Activation.NONE, 1)),
                "one per objective");
        assertRefused(List.of(l0, l1, new QuantizedMlp.Layer(16, 4, new float[17 * 4], null, Int8Gemm.Activation.NONE, 1)),
                "68 weights");
        assertRefused(List.of(l0, new QuantizedMlp.Layer(32, 16, l1.weights(), new float[15], Int8Gemm.Activation.RELU, 0), l2),
                "15 biases");
        assertThrows(IllegalArgumentException.class, () -> RankerModel.fromLayers(SCHEMA, good, " ", ObjectiveWeights.DEFAULT));
    }

    private static QuantizedMlp.Layer withActivation(QuantizedMlp.Layer l, Int8Gemm.Activation activation) {
        return new QuantizedMlp.Layer(l.in(), l.out(), l.weights(), l.bias(), activation, l.inputLayer());
    }

    private static void assertRefused(List<QuantizedMlp.Layer> layers, String expected) {
        assertRefused(layers, SCHEMA, expected);
    }

    private static void assertRefused(List<QuantizedMlp.Layer> layers, FeatureSchema schema, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RankerModel.fromLayers(schema, layers, "v", ObjectiveWeights.DEFAULT));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void modelFilesRoundTripAndRefuseCorruption(@TempDir Path dir) throws Exception {
        RankerModel model = randomModel(4).withVersion("ranker-test-1", ObjectiveWeights.DEFAULT.with("negative:-2"));
        Path file = dir.resolve("m.fsrank");
        RankerModelFile.write(model, Map.of("trained_on", "unit test"), file);
        RankerModelFile.Loaded loaded = RankerModelFile.read(file);
        assertEquals("ranker-test-1", loaded.model().version());
        assertEquals("unit test", loaded.metadata().get("trained_on"));
        assertEquals(model.defaultWeights(), loaded.model().defaultWeights());
        assertEquals(SCHEMA, loaded.model().schema());
        assertArrayEquals(model.w0, loaded.model().w0);
        assertArrayEquals(model.bh, loaded.model().bh);

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Path corrupt = dir.resolve("corrupt.fsrank");
        Files.write(corrupt, bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RankerModelFile.read(corrupt));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        Path other = dir.resolve("other.fsrank");
        Files.writeString(other, "not a model at all");
        e = assertThrows(IllegalArgumentException.class, () -> RankerModelFile.read(other));
        assertTrue(e.getMessage().contains("not a ranker model"), e.getMessage());
    }

    @Test
    void modelFilesWithANonFiniteWeightAreRefused(@TempDir Path dir) throws Exception {
        RankerModel model = randomModel(5);
        model.w0[3] = Float.NaN;
        Path file = dir.resolve("nan.fsrank");
        RankerModelFile.write(model, Map.of(), file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RankerModelFile.read(file));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
    }

    @Test
    void objectiveWeightsParseAndCombine() {
        ObjectiveWeights w = ObjectiveWeights.DEFAULT.with("click:2, negative:-3");
        assertEquals(2f, w.weight(Objective.CLICK));
        assertEquals(-3f, w.weight(Objective.NEGATIVE));
        assertEquals(0.5f, w.weight(Objective.LIKE));
        float[] logits = {0f, 0f, 0f, 0f};
        assertEquals((2f + 0.5f + 0.25f - 3f) * 0.5f, w.combine(logits, 0), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> w.with("clicks:1"));
        assertThrows(IllegalArgumentException.class, () -> w.with("click=1"));
        assertThrows(IllegalArgumentException.class, () -> w.with("click:NaN"));
        assertEquals(Objective.CLICK.bit() | Objective.LIKE.bit() | Objective.LONG_DWELL.bit(), Objective.labelsOf(5f));
        assertEquals(Objective.CLICK.bit() | Objective.NEGATIVE.bit(), Objective.labelsOf(1.5f));
        assertEquals(Objective.CLICK.bit(), Objective.labelsOf(0f));
    }
}
