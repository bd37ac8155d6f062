package dev.feedserver.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Safe entry points to libfeednative's SIMD kernels.
 *
 * <p>Arguments are bounds-checked in Java before every downcall (an
 * {@link IllegalArgumentException} names the problem), so a bad call can never make native
 * code read or write outside the given segments. Segments must be native (off-heap or
 * mapped), may have any alignment, and must stay alive for the duration of the call. A
 * non-zero native status becomes a {@link NativeException} carrying {@code fn_last_error()}.
 * The dot-product calls allocate nothing on success.
 *
 * <p>Threading: all methods are thread-safe and may run concurrently. {@link #forceIsa} changes
 * the kernel path of the whole process and is meant for tests and benchmarks only.
 * Lifecycle: the library is loaded on first use and stays loaded until the JVM exits; there is
 * nothing to close. The path is chosen at load from CPUID, or from the environment variable
 * {@code FEED_NATIVE_ISA=scalar|avx2|avxvnni|avx512} (falling back to the best supported path if the
 * CPU lacks the requested one; {@link #dispatchNote()} says why).
 */
public final class NativeKernels {

    /** The kernel paths (scalar, avx2, avxvnni, avx512vnni) in preference order, least preferred first. */
    private static final int[] ISA_CODES = {feed_native_h.FN_ISA_SCALAR(), feed_native_h.FN_ISA_AVX2(),
            feed_native_h.FN_ISA_AVXVNNI(), feed_native_h.FN_ISA_AVX512()};

    static {
        verifyAbi();
    }

    private NativeKernels() {}

    /**
     * {@code out[r] = sum_{k<dim} matrix[r*rowStride + k] * query[k]} for {@code 0 <= r < rows}
     * (floats; summation order, and so rounding, depends on the kernel path).
     *
     * @param matrix    at least {@code ((rows-1)*rowStride + dim) * 4} bytes of floats
     * @param rows      number of rows, {@code >= 0}
     * @param rowStride distance between row starts, in floats, {@code >= dim}
     * @param query     at least {@code dim * 4} bytes of floats
     * @param dim       vector length, {@code > 0}
     * @param out       at least {@code rows * 4} bytes; receives one float per row
     * @throws IllegalArgumentException if an argument is invalid or a segment too small
     * @throws NativeException          if the native call fails
     */
    public static void dotF32Batch(MemorySegment matrix, long rows, long rowStride,
                                   MemorySegment query, int dim, MemorySegment out) {
        SegmentChecks.checkBatch("dotF32Batch", matrix, rows, rowStride, query, dim, out, Float.BYTES, Float.BYTES);
        if (rows == 0) {
            return;
        }
        check(feed_native_h.fn_dot_f32_batch(matrix, rows, rowStride, query, dim, out));
    }

    /**
     * {@code out[r] = sum_{k<dim} matrix[r*rowStride + k] * query[k]} over signed bytes, exact
     * in int32 and identical on every kernel path (wraps modulo 2^32 only if
     * {@code |sum| >= 2^31}, impossible for {@code dim <= 131071}).
     *
     * @param matrix    at least {@code (rows-1)*rowStride + dim} bytes
     * @param rows      number of rows, {@code >= 0}
     * @param rowStride distance between row starts, in bytes, {@code >= dim}
     * @param query     at least {@code dim} bytes
     * @param dim       vector length, {@code > 0}
     * @param out       at least {@code rows * 4} bytes; receives one int per row
     * @throws IllegalArgumentException if an argument is invalid or a segment too small
     * @throws NativeException          if the native call fails
     */
    public static void dotS8Batch(MemorySegment matrix, long rows, long rowStride,
                                  MemorySegment query, int dim, MemorySegment out) {
        SegmentChecks.checkBatch("dotS8Batch", matrix, rows, rowStride, query, dim, out, Byte.BYTES, Integer.BYTES);
        if (rows == 0) {
            return;
        }
        check(feed_native_h.fn_dot_s8_batch(matrix, rows, rowStride, query, dim, out));
    }

    /** The library's ABI version, current kernel path and the paths this CPU supports. */
    public static NativeInfo info() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = fn_info.allocate(arena);
            check(feed_native_h.fn_get_info(info));
            int mask = fn_info.isa_supported_mask(info);
            List<String> supported = new ArrayList<>();
            for (int isa : ISA_CODES) {
                if ((mask & (1 << isa)) != 0) {
                    supported.add(isaName(isa));
                }
            }
            return new NativeInfo(fn_info.abi_version(info), isaName(fn_info.isa(info)), supported);
        }
    }

    /**
     * Runs the register-only int8 multiply-add loop of the current path for {@code iterations}
     * rounds and returns the multiply-adds performed; time the call to get the core's peak.
     */
    public static long peakInt8Macs(long iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("peakInt8Macs: iterations must be >= 1 (got " + iterations + ")");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment macs = arena.allocate(java.lang.foreign.ValueLayout.JAVA_LONG);
            check(feed_native_h.fn_peak_int8_macs(iterations, macs));
            return macs.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
        }
    }

    /**
     * Zeroed off-heap memory of {@code bytes}, 2 MiB-aligned and backed by transparent huge
     * pages from its first touch, unmapped when {@code arena} closes. For large tables read at
     * random (the user store): on a virtual machine a TLB miss walks two page tables, so 4 KiB
     * pages can cost more than the cache misses themselves.
     */
    public static MemorySegment mapHuge(long bytes, Arena arena) {
        if (bytes < 1) {
            throw new IllegalArgumentException("mapHuge: bytes must be >= 1 (got " + bytes + ")");
        }
        MemorySegment address;
        try (Arena local = Arena.ofConfined()) {
            MemorySegment out = local.allocate(java.lang.foreign.ValueLayout.ADDRESS);
            check(feed_native_h.fn_map_huge(bytes, out));
            address = out.get(java.lang.foreign.ValueLayout.ADDRESS, 0);
        }
        long raw = address.address();
        return address.reinterpret(bytes, arena, segment -> feed_native_h.fn_unmap(MemorySegment.ofAddress(raw), bytes));
    }

    /** Human-readable reason for the current kernel path (auto-detection, env override, fallback). */
    public static String dispatchNote() {
        return feed_native_h.fn_dispatch_note().getString(0);
    }

    /**
     * Forces the kernel path for the whole process. For tests and benchmarks only.
     *
     * @param name "scalar", "avx2", "avxvnni", "avx512vnni" (or its alias "avx512"); case-insensitive
     * @throws IllegalArgumentException if the name is unknown
     * @throws NativeException          if this CPU cannot run that path (the path is unchanged)
     */
    public static void forceIsa(String name) {
        int isa = switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "scalar" -> feed_native_h.FN_ISA_SCALAR();
            case "avx2" -> feed_native_h.FN_ISA_AVX2();
            case "avxvnni" -> feed_native_h.FN_ISA_AVXVNNI();
            case "avx512", "avx512vnni" -> feed_native_h.FN_ISA_AVX512();
            default -> throw new IllegalArgumentException(
                    "forceIsa: unknown isa '" + name + "' (expected scalar, avx2, avxvnni or avx512vnni)");
        };
        check(feed_native_h.fn_set_isa(isa));
    }

    /** Throws {@link NativeException} with the calling thread's {@code fn_last_error()} unless OK. */
    static void check(int status) {
        if (status != feed_native_h.FN_OK()) {
            throw new NativeException(status, feed_native_h.fn_last_error().getString(0));
        }
    }

    private static String isaName(int isa) {
        return feed_native_h.fn_isa_name(isa).getString(0);
    }

    private static void verifyAbi() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = fn_info.allocate(arena);
            check(feed_native_h.fn_get_info(info));
            int loaded = fn_info.abi_version(info);
            if (loaded != feed_native_h.FN_ABI_VERSION()) {
                throw new UnsatisfiedLinkError("feednative: loaded library " + NativeLibrary.path()
                        + " has ABI version " + loaded + " but these bindings expect "
                        + feed_native_h.FN_ABI_VERSION() + "; the jar and the .so come from different builds");
            }
        }
    }
}
