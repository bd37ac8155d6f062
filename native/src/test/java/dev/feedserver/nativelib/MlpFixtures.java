package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test helper for the QuantizedMlp tests: random layers, shapes and inputs, raw fn_mlp handles,
 * bit-for-bit comparison, and the float64 reference with its error bound.
 */
final class MlpFixtures {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private MlpFixtures() {}

    static Layer dense(SplittableRandom rnd, int in, int out, Activation act, int input, boolean withBias) {
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() / Math.sqrt(in));
        }
        if (out > 2) {
            w[0] = 0; // one weight exactly 0 and one row all zero (scale 1 path)
            for (int k = 0; k < in; k++) {
                w[(out - 1) * in + k] = 0;
            }
        }
        float[] b = null;
        if (withBias) {
            b = new float[out];
            for (int j = 0; j < out; j++) {
                b[j] = (float) (rnd.nextGaussian() * 0.1);
            }
        }
        return new Layer(in, out, w, b, act, input);
    }

    /** A shared bottom (64 -> 48 -> 32) with heads 32 -> 3 and 48 -> 5, a branch 64 -> 7 from the input. */
    static List<Layer> tree(SplittableRandom rnd, Activation hidden) {
        return List.of(
                dense(rnd, 64, 48, hidden, -1, true),
                dense(rnd, 48, 32, hidden, 0, true),
                dense(rnd, 32, 3, Activation.NONE, 1, true),
                dense(rnd, 48, 5, Activation.NONE, 0, false),
                dense(rnd, 64, 7, hidden, -1, true));
    }

    static final int[] TREE_OUTPUTS = {2, 3, 4, 1};

    /** A tree with heads, one wide layer, and a deep narrow chain: layer 0 widths 48, 17 and 130. */
    static List<List<Layer>> shapes(SplittableRandom rnd, Activation hidden) {
        return List.of(
                tree(rnd, hidden),
                List.of(dense(rnd, 33, 17, hidden, -1, true)),
                List.of(dense(rnd, 70, 130, hidden, -1, false), dense(rnd, 130, 9, hidden, 0, true),
                        dense(rnd, 9, 1, Activation.NONE, 1, true)));
    }

    /** The output layers used with each of {@link #shapes}. */
    static int[] outputsOf(List<Layer> layers) {
        return layers.size() == 5 ? TREE_OUTPUTS : layers.size() == 1 ? new int[] {0} : new int[] {2, 0};
    }

    /** A model on impl: {@link GemmImpls#JAVA} or a native kernel path. */
    static QuantizedMlp model(String impl, List<Layer> layers, int... outputs) {
        return impl.equals(GemmImpls.JAVA) ? QuantizedMlp.createJava(layers, outputs)
                : QuantizedMlp.createNative(layers, outputs);
    }

    /** A raw fn_mlp handle for layers (no Java checks in between); the caller destroys it. */
    static MemorySegment rawModel(Arena arena, List<Layer> layers, int... outputs) {
        MemorySegment specs = fn_layer_spec.allocateArray(layers.size(), arena);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            MemorySegment spec = fn_layer_spec.asSlice(specs, i);
            fn_layer_spec.in(spec, layer.in());
            fn_layer_spec.out(spec, layer.out());
            fn_layer_spec.weights(spec, arena.allocateFrom(ValueLayout.JAVA_FLOAT, layer.weights()));
            fn_layer_spec.bias(spec, layer.bias() == null ? MemorySegment.NULL
                    : arena.allocateFrom(ValueLayout.JAVA_FLOAT, layer.bias()));
            fn_layer_spec.activation(spec, layer.activation().ordinal());
            fn_layer_spec.input_layer(spec, layer.inputLayer());
        }
        MemorySegment model = arena.allocate(ValueLayout.ADDRESS);
        assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_mlp_create(specs, layers.size(),
                arena.allocateFrom(ValueLayout.JAVA_INT, outputs), outputs.length, model), MlpFixtures::lastError);
        return model.get(ValueLayout.ADDRESS, 0);
    }

    /** fn_mlp_scratch_size of a raw handle. */
    static long rawScratchBytes(Arena arena, MemorySegment model, long rows) {
        MemorySegment bytes = arena.allocate(ValueLayout.JAVA_LONG);
        assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_mlp_scratch_size(model, rows, bytes));
        return bytes.get(ValueLayout.JAVA_LONG, 0);
    }

    static String lastError() {
        return feed_native_h.fn_last_error().getString(0);
    }

    /** rows x width gaussian floats, ld apart, starting {@code offset} bytes into a fresh allocation. */
    static MemorySegment addend(Arena arena, SplittableRandom rnd, int rows, int width, long ld, int offset) {
        MemorySegment a = arena.allocate(4L * ld * rows + offset).asSlice(offset);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                a.set(F32, 4L * (r * ld + j), (float) rnd.nextGaussian());
            }
        }
        return a;
    }

    /**
     * rows int32 table rows in [0, tableRows), starting {@code offset} bytes into a fresh
     * allocation: random, with the first row 0, the last tableRows - 1, and row 1 repeating row 0.
     */
    static MemorySegment indexes(Arena arena, SplittableRandom rnd, int rows, int tableRows, int offset) {
        MemorySegment index = arena.allocate(4L * rows + offset).asSlice(offset);
        for (int r = 0; r < rows; r++) {
            index.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * r, rnd.nextInt(tableRows));
        }
        index.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 0);
        if (rows > 1) {
            index.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * (rows - 1), tableRows - 1);
        }
        if (rows > 2) {
            index.set(ValueLayout.JAVA_INT_UNALIGNED, 4, 0);
        }
        return index;
    }

    /** Fails naming the first output whose bits differ. */
    static void assertSameBits(MemorySegment got, MemorySegment want, int rows, int width, long ldo, String what) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                int g = Float.floatToRawIntBits(got.get(F32, 4L * (r * ldo + j)));
                int w = Float.floatToRawIntBits(want.get(F32, 4L * (r * ldo + j)));
                if (g != w) {
                    fail(what + ": row " + r + " output " + j + " got " + Float.intBitsToFloat(g) + ", want "
                            + Float.intBitsToFloat(w));
                }
            }
        }
    }

    /** rows x in floats, ld apart: gaussian, with an all-zero row, a row with one huge outlier, and tiny rows. */
    static MemorySegment input(Arena arena, SplittableRandom rnd, int rows, int in, long ld, int offset) {
        MemorySegment x = arena.allocate(4L * ld * rows + offset).asSlice(offset);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < in; k++) {
                float v = (float) rnd.nextGaussian();
                if (r % 17 == 5) {
                    v = 0;
                } else if (r % 17 == 6 && k == 3) {
                    v = 1000;
                } else if (r % 17 == 7) {
                    v *= 1e-30f;
                }
                x.set(F32, 4L * (r * ld + k), v);
            }
        }
        return x;
    }

    /**
     * Float64 reference with the error bound derived from the quantization scheme, per output.
     * For a layer with exact input x (error bound e_in on the computed input x^), weights W, bias b:
     *   sa <= max_k(|x_k| + e_in_k) / 127 (1 + 2^-23) is the activation step, sw_j = absmax(W_j) / 127
     *   the weight step; rounding to the grid is off by at most (0.5 + 1e-4) steps (1e-4 covers the
     *   float division and clamp: 127 * 2^-23 < 2e-5), so ea = sa (0.5 + 1e-4), ew_j = sw_j (0.5 + 1e-4);
     *   |y_j - z_j| <= sum_k |W_jk| e_in_k                                   (input error)
     *               + sum_k [ea (|W_jk| + ew_j) + (|x_k| + e_in_k) ew_j]       (quantization)
     *               + 2^-24 (4.02 sum_k (|x_k| + e_in_k + ea)(|W_jk| + ew_j) + |b_j|)   (float epilogue:
     *                 int->float, two multiplies, the bias add)
     * and ReLU / identity are 1-Lipschitz, so the bound passes through the activation unchanged.
     * With an addend a (exact here; the model gets (float) a) added to layer 0 after the bias, the
     * model's y is fl(t + fl(a)) for its pre-addend value t (|t - z| <= e): two more roundings, so
     *   e' = e + 2^-24 (2.01 |a| + sum_k |W_jk| |x_k| + |b_j| + e)   (bounded via magnitude).
     */
    record Reference(double[][] value, double[][] bound) {}

    /** @param addend layer 0's exact addend (layer 0's out values), or null for none */
    static Reference reference(List<Layer> layers, double[] x, double[] addend) {
        int n = layers.size();
        double[][] value = new double[n][];
        double[][] bound = new double[n][];
        for (int l = 0; l < n; l++) {
            Layer layer = layers.get(l);
            assertTrue(layer.activation() == Activation.NONE || layer.activation() == Activation.RELU);
            double[] in = layer.inputLayer() < 0 ? x : value[layer.inputLayer()];
            double[] eIn = layer.inputLayer() < 0 ? new double[in.length] : bound[layer.inputLayer()];
            double maxAbs = 0;
            for (int k = 0; k < in.length; k++) {
                maxAbs = Math.max(maxAbs, Math.abs(in[k]) + eIn[k]);
            }
            double ea = maxAbs / 127 * (1 + 0x1p-23) * (0.5 + 1e-4);
            value[l] = new double[layer.out()];
            bound[l] = new double[layer.out()];
            for (int j = 0; j < layer.out(); j++) {
                double absmaxW = 0;
                for (int k = 0; k < layer.in(); k++) {
                    absmaxW = Math.max(absmaxW, Math.abs(layer.weights()[j * layer.in() + k]));
                }
                double ew = absmaxW / 127 * (1 + 0x1p-23) * (0.5 + 1e-4);
                double z = layer.bias() == null ? 0 : layer.bias()[j];
                double e = 0;
                double magnitude = 0;
                for (int k = 0; k < layer.in(); k++) {
                    double w = layer.weights()[j * layer.in() + k];
                    z += w * in[k];
                    e += Math.abs(w) * eIn[k] + ea * (Math.abs(w) + ew) + (Math.abs(in[k]) + eIn[k]) * ew;
                    magnitude += (Math.abs(in[k]) + eIn[k] + ea) * (Math.abs(w) + ew);
                }
                e += 0x1p-24 * (4.02 * magnitude + (layer.bias() == null ? 0 : Math.abs(layer.bias()[j])));
                if (l == 0 && addend != null) {
                    z += addend[j];
                    e += 0x1p-24 * (2.01 * Math.abs(addend[j]) + magnitude
                            + (layer.bias() == null ? 0 : Math.abs(layer.bias()[j])) + e);
                }
                e += 1e-12 * (magnitude + Math.abs(z)); // the float64 reference's own rounding
                value[l][j] = layer.activation() == Activation.RELU ? Math.max(z, 0) : z;
                bound[l][j] = e;
            }
        }
        return new Reference(value, bound);
    }
}
