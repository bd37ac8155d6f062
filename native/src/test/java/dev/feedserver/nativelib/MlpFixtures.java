package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;

/** Test helper for the QuantizedMlp tests: random layers and inputs, and the float64 reference with its error bound. */
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
