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
    private static final float ROUNDING = 12_582_912f; // 1.5 * 2^23
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
     * store (1 for unscaled types, and for an all-zero vector). {@code bytes} is scratch of at
     * least {@code dim} bytes for the one-byte types: array loops vectorise, segment loops do not.
     */
    float encode(float[] src, int dim, MemorySegment segment, long offset, byte[] bytes) {
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
                    // Adding 1.5 * 2^23 makes the float unit round to nearest even; |x| <= 127.
                    float q = (src[k] * inverse + ROUNDING) - ROUNDING;
                    bytes[k] = (byte) Math.max(-127f, Math.min(127f, q));
                }
                MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, offset, dim);
                return scale;
            }
            case FP8_E4M3 -> {
                float scale = scaleFor(src, dim, E4M3_MAX);
                float inverse = 1f / scale;
                for (int k = 0; k < dim; k++) {
                    bytes[k] = NumberFormats.toFp8(src[k] * inverse, Fp8Format.E4M3, true);
                }
                MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, offset, dim);
                return scale;
            }
            default -> throw new IllegalStateException(name());
        }
        return 1f;
    }

    /**
     * Decodes {@code dim} elements at {@code offset} into {@code dst}, multiplying by
     * {@code scale}; {@code bytes} is scratch as for {@link #encode}.
     */
    void decode(MemorySegment segment, long offset, int dim, float scale, float[] dst, byte[] bytes) {
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
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, dim);
                for (int k = 0; k < dim; k++) {
                    dst[k] = bytes[k] * scale;
                }
            }
            case FP8_E4M3 -> {
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, dim);
                for (int k = 0; k < dim; k++) {
                    dst[k] = E4M3_DECODE[bytes[k] & 0xFF] * scale;
                }
            }
            default -> throw new IllegalStateException(name());
        }
    }

    private static float scaleFor(float[] src, int dim, float max) {
        // Four running maxima break the dependency chain of a single one.
        float m0 = 0;
        float m1 = 0;
        float m2 = 0;
        float m3 = 0;
        int k = 0;
        for (; k + 3 < dim; k += 4) {
            m0 = Math.max(m0, Math.abs(src[k]));
            m1 = Math.max(m1, Math.abs(src[k + 1]));
            m2 = Math.max(m2, Math.abs(src[k + 2]));
            m3 = Math.max(m3, Math.abs(src[k + 3]));
        }
        for (; k < dim; k++) {
            m0 = Math.max(m0, Math.abs(src[k]));
        }
        float absmax = Math.max(Math.max(m0, m1), Math.max(m2, m3));
        float scale = absmax / max;
        return scale > 0 && Float.isFinite(scale) ? scale : 1f;
    }
}
