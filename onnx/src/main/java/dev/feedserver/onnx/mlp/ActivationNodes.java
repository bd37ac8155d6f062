package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import java.util.List;

/**
 * Writes a layer's activation as standard ONNX nodes (opset 17 has no SiLU and no tanh-form
 * GELU operator): RELU is {@code Relu}; SILU is {@code y * Sigmoid(y)}; GELU, tanh form, is
 * {@code y * Sigmoid(2 sqrt(2/pi) (y + 0.044715 y^3))}, which equals
 * {@code 0.5 y (1 + tanh(sqrt(2/pi) (y + 0.044715 y^3)))} and is how the int8 kernels compute it.
 *
 * <p>Threading: stateless static helpers.
 */
final class ActivationNodes {

    static final float GELU_CUBE = 0.044715f;
    static final float GELU_TWICE_SQRT_2_OVER_PI = 1.5957691216057308f;

    private ActivationNodes() {
    }

    /** Adds the activation of {@code y} under {@code prefix}; returns the activated value's name. */
    static String apply(OnnxGraphWriter g, String prefix, String y, Activation activation) {
        return switch (activation) {
            case NONE -> y;
            case RELU -> g.node("Relu", prefix + ".relu", List.of(y), prefix + ".relu_out");
            case SILU -> {
                String s = g.node("Sigmoid", prefix + ".sigmoid", List.of(y), prefix + ".sigmoid_out");
                yield g.node("Mul", prefix + ".silu", List.of(y, s), prefix + ".silu_out");
            }
            case GELU -> gelu(g, prefix, y);
        };
    }

    private static String gelu(OnnxGraphWriter g, String prefix, String y) {
        String cube = g.initializer(OnnxTensors.scalar("gelu.cube", GELU_CUBE));
        String twice = g.initializer(OnnxTensors.scalar("gelu.twice_sqrt_2_over_pi", GELU_TWICE_SQRT_2_OVER_PI));
        String p = prefix + ".gelu";
        String y2 = g.node("Mul", p + ".y2", List.of(y, y), p + ".y2_out");
        String y3 = g.node("Mul", p + ".y3", List.of(y2, y), p + ".y3_out");
        String cy3 = g.node("Mul", p + ".cy3", List.of(y3, cube), p + ".cy3_out");
        String u = g.node("Add", p + ".u", List.of(y, cy3), p + ".u_out");
        String v = g.node("Mul", p + ".v", List.of(u, twice), p + ".v_out");
        String s = g.node("Sigmoid", p + ".sigmoid", List.of(v), p + ".sigmoid_out");
        return g.node("Mul", p, List.of(y, s), p + "_out");
    }
}
