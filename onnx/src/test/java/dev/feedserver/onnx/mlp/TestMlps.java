package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random ranker MLPs and a float64 reference forward pass for the ONNX tests. */
final class TestMlps {

    /** Layers and output layers together. */
    record Mlp(List<Layer> layers, int[] outputs) {

        int inDim() {
            return layers.getFirst().in();
        }

        int outDim() {
            int total = 0;
            for (int l : outputs) {
                total += layers.get(l).out();
            }
            return total;
        }
    }

    private TestMlps() {
    }

    static Layer dense(SplittableRandom rnd, int in, int out, Activation act, int input, boolean withBias) {
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * Math.sqrt(2.0 / in));
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

    /** A shared bottom {@code in -> hidden[0] -> ... } (relu) and {@code heads} linear heads of width 1. */
    static Mlp tree(long seed, int in, int[] hidden, int heads) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int width = in;
        for (int h : hidden) {
            layers.add(dense(rnd, width, h, Activation.RELU, layers.size() - 1, true));
            width = h;
        }
        int bottom = layers.size() - 1;
        int[] outputs = new int[heads];
        for (int h = 0; h < heads; h++) {
            outputs[h] = layers.size();
            layers.add(dense(rnd, width, 1, Activation.NONE, bottom, true));
        }
        return new Mlp(layers, outputs);
    }

    /** The task's tree: 300 -> 64 relu -> 32 relu -> 4 heads of 1. */
    static Mlp rankerTree(long seed) {
        return tree(seed, 300, new int[] {64, 32}, 4);
    }

    static float[] gaussianRows(long seed, int rows, int width) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** Float64 forward of every row (sums in double, activations in double), rounded to float at the end. */
    static float[] forward(Mlp m, float[] x, int rows) {
        List<Layer> layers = m.layers();
        float[] out = new float[rows * m.outDim()];
        double[][] acts = new double[layers.size()][];
        for (int r = 0; r < rows; r++) {
            for (int l = 0; l < layers.size(); l++) {
                Layer layer = layers.get(l);
                double[] y = new double[layer.out()];
                for (int j = 0; j < layer.out(); j++) {
                    double s = layer.bias() == null ? 0 : layer.bias()[j];
                    for (int k = 0; k < layer.in(); k++) {
                        double in = layer.inputLayer() < 0 ? x[r * layer.in() + k] : acts[layer.inputLayer()][k];
                        s += layer.weights()[j * layer.in() + k] * in;
                    }
                    y[j] = activate(s, layer.activation());
                }
                acts[l] = y;
            }
            int col = 0;
            for (int l : m.outputs()) {
                for (double v : acts[l]) {
                    out[r * m.outDim() + col++] = (float) v;
                }
            }
        }
        return out;
    }

    static double activate(double y, Activation a) {
        return switch (a) {
            case NONE -> y;
            case RELU -> Math.max(y, 0);
            case SILU -> y / (1 + Math.exp(-y));
            case GELU -> 0.5 * y * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (y + 0.044715 * y * y * y)));
        };
    }

    /** Column c of a rows x width matrix. */
    static double[] column(float[] m, int rows, int width, int c) {
        double[] col = new double[rows];
        for (int r = 0; r < rows; r++) {
            col[r] = m[r * width + c];
        }
        return col;
    }
}
