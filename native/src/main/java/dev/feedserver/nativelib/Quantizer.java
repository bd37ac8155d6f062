package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;

/**
 * int8 / uint8 quantization and calibration statistics over float arrays in
 * {@link MemorySegment}s. Every result is defined bit for bit (IEEE float division and
 * multiplication, round half to even), so both backends agree exactly:
 * <ul>
 *   <li>{@link #minMax}: NaNs are skipped; -0.0 counts as smaller than +0.0.
 *   <li>{@link #absPercentile}: nearest rank over the m non-NaN values: the value of 1-based
 *       rank {@code clamp(ceil(percentile * m / 100), 1, m)} (computed in double, in that order)
 *       among the sorted {@code |in[i]|}; 100 is the abs-max.
 *   <li>{@link #quantizeS8}: {@code clamp(rint(in[i] / scale), -127, 127)}; NaN gives 0.
 *   <li>{@link #quantizeS8Rows}: {@code scales[r] = absmax(row r) / 127}, or 1.0 if that is 0
 *       (an all-zero row, or an absmax so tiny the division underflows); then quantizeS8 per row.
 *       A NaN or infinity in the matrix is rejected.
 *   <li>{@link #quantizeU8}: {@code clamp(rint(in[i] / scale) + zeroPoint, 0, 255)}; NaN gives
 *       the zero point.
 *   <li>{@link #dequantizeS8}: {@code in[i] * scale}.
 * </ul>
 * {@code scale} must be finite and {@code > 0}; {@code zeroPoint} in [0, 255].
 *
 * <p>Segments must be native (off-heap or mapped), alive for the call, any alignment; outputs
 * must not overlap inputs. Bad arguments, and data that has no answer (all NaN, a non-finite
 * row), throw {@link IllegalArgumentException} naming the problem in both backends; a native
 * failure throws {@link NativeException}. On an exception the outputs are unspecified.
 *
 * <p>Threading: implementations are stateless and thread-safe (concurrent calls need distinct
 * output and scratch segments). Lifecycle: {@link #get()} returns a process-wide singleton;
 * there is nothing to close.
 */
public interface Quantizer {

    /** Smallest and largest non-NaN value. */
    record MinMax(float min, float max) {}

    /** The implementation for {@link KernelBackend#current()}. */
    static Quantizer get() {
        return KernelBackend.current() == KernelBackend.NATIVE ? NativeQuantizer.INSTANCE : JavaQuantizer.INSTANCE;
    }

    /** Min and max of {@code n >= 1} floats, NaNs ignored (all NaN: {@link IllegalArgumentException}). */
    MinMax minMax(MemorySegment in, long n);

    /**
     * The {@code percentile} (0 < p <= 100) of {@code |in[i]|} over {@code n >= 1} floats, nearest
     * rank, NaNs ignored. {@code scratch} (n floats, not overlapping {@code in}) is overwritten;
     * {@code in} is left untouched.
     */
    float absPercentile(MemorySegment in, long n, double percentile, MemorySegment scratch);

    /** Symmetric int8 of {@code n} floats into {@code n} bytes. */
    void quantizeS8(MemorySegment in, long n, float scale, MemorySegment out);

    /**
     * Per-row symmetric int8 of a {@code rows x cols} matrix whose rows start {@code ld} floats
     * apart ({@code cols >= 1}, {@code ld >= cols}): {@code rows} scales and a dense
     * {@code rows * cols} byte matrix.
     */
    void quantizeS8Rows(MemorySegment in, long rows, long cols, long ld, MemorySegment scales, MemorySegment out);

    /** Asymmetric uint8 of {@code n} floats into {@code n} bytes. */
    void quantizeU8(MemorySegment in, long n, float scale, int zeroPoint, MemorySegment out);

    /** {@code n} int8 values times {@code scale} into {@code n} floats. */
    void dequantizeS8(MemorySegment in, long n, float scale, MemorySegment out);
}
