package dev.feedserver.ranking.rank;

import dev.feedserver.nativelib.Fp8Format;
import dev.feedserver.nativelib.NumberFormats;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@link RankerModel} whose weights went through FP8 storage: every layer's weights
 * quantized per output channel ({@code scale = absmax / maxFinite}, 448 for E4M3; 1 for an
 * all-zero channel), encoded with the project's conversion ({@link NumberFormats#f32ToFp8},
 * round to nearest even, saturating) and decoded back ({@code fp8 * scale}); biases stay float.
 * Running the result in float is what an FP8-weight model computes on a CPU without FP8
 * arithmetic: FP8 is a storage format here, and its speed is the float path's.
 *
 * <p>Stateless; thread-safe.
 */
public final class Fp8Weights {
    private Fp8Weights() {
    }

    /** {@code model} with its weights rounded through {@code format}, named {@code version-fp8}. */
    public static RankerModel roundTrip(RankerModel model, Fp8Format format) {
        int heads = Objective.COUNT;
        return new RankerModel(model.schema, model.hidden1, model.hidden2,
                roundTrip(model.w0, model.inputs, model.hidden1, format), model.b0.clone(),
                roundTrip(model.w1, model.hidden1, model.hidden2, format), model.b1.clone(),
                roundTrip(model.wh, model.hidden2, heads, format), model.bh.clone(),
                model.version() + "-" + format.name().toLowerCase(java.util.Locale.ROOT), model.defaultWeights());
    }

    /** Bytes to store the model's weights in FP8: one per weight plus a float scale per output channel. */
    public static long storageBytes(RankerModel model) {
        return model.denseMacs() + 4L * (model.hidden1 + model.hidden2 + Objective.COUNT);
    }

    /**
     * An input-major {@code inputs x outputs} matrix ({@code w[k * outputs + j]}) rounded per
     * output channel j through {@code format}.
     */
    static float[] roundTrip(float[] w, int inputs, int outputs, Fp8Format format) {
        float[] scales = new float[outputs];
        for (int k = 0; k < inputs; k++) {
            for (int j = 0; j < outputs; j++) {
                scales[j] = Math.max(scales[j], Math.abs(w[k * outputs + j]));
            }
        }
        for (int j = 0; j < outputs; j++) {
            float scale = scales[j] / format.maxFinite();
            scales[j] = scale > 0f ? scale : 1f; // an all-zero channel (or one so tiny the scale underflows)
        }
        long n = w.length;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scaled = arena.allocate(n * Float.BYTES, 64);
            for (int k = 0; k < inputs; k++) {
                for (int j = 0; j < outputs; j++) {
                    int at = k * outputs + j;
                    scaled.setAtIndex(ValueLayout.JAVA_FLOAT, at, w[at] / scales[j]);
                }
            }
            MemorySegment codes = arena.allocate(n, 64);
            NumberFormats formats = NumberFormats.get();
            formats.f32ToFp8(scaled, n, format, true, codes);
            formats.fp8ToF32(codes, n, format, scaled);
            float[] out = new float[w.length];
            for (int k = 0; k < inputs; k++) {
                for (int j = 0; j < outputs; j++) {
                    int at = k * outputs + j;
                    out[at] = scaled.getAtIndex(ValueLayout.JAVA_FLOAT, at) * scales[j];
                }
            }
            return out;
        }
    }
}
