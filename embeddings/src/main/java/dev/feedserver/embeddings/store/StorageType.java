package dev.feedserver.embeddings.store;

import dev.feedserver.nativelib.Fp8Format;
import dev.feedserver.nativelib.NumberFormats;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * How a table stores each vector element. Scaled types keep one float scale per vector:
 * INT8 stores {@code round_half_even(x / s)} with {@code s = absmax / 127}; FP8 E4M3 stores
 * {@code fp8(x / s)} with {@code s = absmax / 448}, so every vector uses its format's full range.
 *
 * <p>Stateless and thread-safe; encode/decode touch only the given memory.
 */
public enum StorageType {
    F32(4, false),
    BF16(2, false),
    F16(2, false),
    INT8(1, true),
    FP8_E4M3(1, true);

    private static final float E4M3_MAX = 448f;
    private static final float[] E4M3_DECODE = new float[256];

    static {
        for (int code = 0; code < 256; code++) {
            E4M3_DECODE[code] = NumberFormats.fromFp8((byte) code, Fp8Format.E4M3);
        }
    }

    private final int elementBytes;
    private final boolean scaled;

    StorageType(int elementBytes, boolean scaled) {
        this.elementBytes = elementBytes;
        this.scaled = scaled;
    }

    public int elementBytes() {
        return elementBytes;
    }

    /** True when each vector carries a float scale. */
    public boolean scaled() {
        return scaled;
    }

    /**
     * Encodes {@code src[0..dim)} at {@code offset} of {@code segment}; returns the scale to
     * store (1 for unscaled types, and for an all-zero vector).
     */
    float encode(float[] src, int dim, MemorySegment segment, long offset) {
        switch (this) {
            case F32 -> MemorySegment.copy(src, 0, segment, ValueLayout.JAVA_FLOAT_UNALIGNED, offset, dim);
            case BF16 -> {
                for (int k = 0; k < dim; k++) {
                    segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset + 2L * k, NumberFormats.toBf16(src[k]));
                }
            }
            case F16 -> {
                for (int k = 0; k < dim; k++) {
                    segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset + 2L * k, Float.floatToFloat16(src[k]));
                }
            }
            case INT8 -> {
                float scale = scaleFor(src, dim, 127f);
                float inverse = 1f / scale;
                for (int k = 0; k < dim; k++) {
                    float q = (float) Math.rint(src[k] * inverse);
                    segment.set(ValueLayout.JAVA_BYTE, offset + k, (byte) Math.max(-127f, Math.min(127f, q)));
                }
                return scale;
            }
            case FP8_E4M3 -> {
                float scale = scaleFor(src, dim, E4M3_MAX);
                float inverse = 1f / scale;
                for (int k = 0; k < dim; k++) {
                    segment.set(ValueLayout.JAVA_BYTE, offset + k, NumberFormats.toFp8(src[k] * inverse, Fp8Format.E4M3, true));
                }
                return scale;
            }
            default -> throw new IllegalStateException(name());
        }
        return 1f;
    }

    /** Decodes {@code dim} elements at {@code offset} into {@code dst}, multiplying by {@code scale}. */
    void decode(MemorySegment segment, long offset, int dim, float scale, float[] dst) {
        switch (this) {
            case F32 -> MemorySegment.copy(segment, ValueLayout.JAVA_FLOAT_UNALIGNED, offset, dst, 0, dim);
            case BF16 -> {
                for (int k = 0; k < dim; k++) {
                    dst[k] = Float.intBitsToFloat(segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + 2L * k) << 16);
                }
            }
            case F16 -> {
                for (int k = 0; k < dim; k++) {
                    dst[k] = Float.float16ToFloat(segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + 2L * k));
                }
            }
            case INT8 -> {
                for (int k = 0; k < dim; k++) {
                    dst[k] = segment.get(ValueLayout.JAVA_BYTE, offset + k) * scale;
                }
            }
            case FP8_E4M3 -> {
                for (int k = 0; k < dim; k++) {
                    dst[k] = E4M3_DECODE[segment.get(ValueLayout.JAVA_BYTE, offset + k) & 0xFF] * scale;
                }
            }
            default -> throw new IllegalStateException(name());
        }
    }

    private static float scaleFor(float[] src, int dim, float max) {
        float absmax = 0;
        for (int k = 0; k < dim; k++) {
            absmax = Math.max(absmax, Math.abs(src[k]));
        }
        float scale = absmax / max;
        return scale > 0 && Float.isFinite(scale) ? scale : 1f;
    }
}
