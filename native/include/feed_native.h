/*
 * feed_native.h -- THE contract of libfeednative (plain C ABI).
 *
 * Everything the JVM (or any other caller) may use is declared here; nothing
 * else is exported from the shared library.  The Java bindings in
 * dev.feedserver.nativelib.feed_native_h / fn_info mirror this file exactly.
 *
 * Conventions
 *   - Every function returning int returns a status: FN_OK (0) on success,
 *     a negative FN_ERR_* code on failure.  On failure a human-readable
 *     message is stored in a thread-local buffer, read with fn_last_error().
 *     Successful calls do not clear it (errno-style).
 *   - No function throws, aborts or longjmps across this boundary.
 *   - Pointers need no particular alignment (byte alignment is enough).
 *   - All functions are thread-safe.  fn_set_isa() changes process-global
 *     state and is meant for tests and benchmarks only.
 *   - Bump FN_ABI_VERSION on any incompatible change to this file.
 */
#ifndef FEED_NATIVE_H
#define FEED_NATIVE_H

#include <stdint.h>

#if defined(FEED_NATIVE_BUILD) && defined(__GNUC__)
#define FN_API __attribute__((visibility("default")))
#else
#define FN_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Version of this ABI; reported in fn_info.abi_version. */
#define FN_ABI_VERSION 1

/** Kernel instruction-set paths. Bit (1 << isa) is set in fn_info.isa_supported_mask when usable. */
enum fn_isa {
    FN_ISA_SCALAR = 0, /* portable C++, any x86-64 (or other) CPU            */
    FN_ISA_AVX2 = 1,   /* AVX2 + FMA                                         */
    FN_ISA_AVX512 = 2  /* AVX-512 F + BW + VNNI; name "avx512vnni"           */
};

/** Status codes. */
enum fn_status {
    FN_OK = 0,
    FN_ERR_NULL_POINTER = -1,     /* a required pointer argument was NULL       */
    FN_ERR_INVALID_ARGUMENT = -2, /* a size/count/stride/enum argument is bad   */
    FN_ERR_UNSUPPORTED_ISA = -3,  /* fn_set_isa: this CPU cannot run that path  */
    FN_ERR_INTERNAL = -4          /* unexpected internal failure (a bug)        */
};

typedef struct fn_info {
    int32_t abi_version;        /* FN_ABI_VERSION of the loaded library            */
    int32_t isa;                /* enum fn_isa currently used by the kernels       */
    int32_t isa_supported_mask; /* bit (1 << isa) per path this CPU can run        */
    int32_t reserved;           /* always 0                                        */
} fn_info;

/** Fills *out with the library's ABI version and dispatch state. */
FN_API int fn_get_info(fn_info* out);

/** "scalar", "avx2", "avx512vnni", or "unknown". Static storage; never NULL. */
FN_API const char* fn_isa_name(int32_t isa);

/**
 * Message of the most recent failed call on the calling thread, or "" if none
 * has failed on it.  Valid until the next failing call on the same thread.
 */
FN_API const char* fn_last_error(void);

/**
 * Why the current kernel path was chosen: auto-detection, the FEED_NATIVE_ISA
 * override (and, if the CPU lacked the requested ISA, the fallback and the
 * missing features), or fn_set_isa.  Static storage; never NULL.
 */
FN_API const char* fn_dispatch_note(void);

/**
 * Forces the kernel path for the whole process (tests/benchmarks only).
 * FN_ERR_INVALID_ARGUMENT for an unknown isa, FN_ERR_UNSUPPORTED_ISA if this
 * CPU cannot run it; the path is unchanged on error.
 */
FN_API int fn_set_isa(int32_t isa);

/**
 * out[r] = sum_{k < dim} matrix[r * row_stride + k] * query[k], for 0 <= r < rows.
 * row_stride is in elements and must be >= dim; rows may be 0; dim must be > 0.
 * The summation order differs between ISA paths (results agree to float rounding).
 */
FN_API int fn_dot_f32_batch(const float* matrix, int64_t rows, int64_t row_stride,
                            const float* query, int32_t dim, float* out);

/**
 * Signed int8 x int8 dot products, accumulated exactly in int32:
 * out[r] = sum_{k < dim} matrix[r * row_stride + k] * query[k].
 * Identical on every ISA path.  Exact while |sum| < 2^31, which always holds
 * for dim <= 131071; beyond that results wrap modulo 2^32 (same on all paths).
 */
FN_API int fn_dot_s8_batch(const int8_t* matrix, int64_t rows, int64_t row_stride,
                           const int8_t* query, int32_t dim, int32_t* out);

#ifdef __cplusplus
}
#endif

#endif /* FEED_NATIVE_H */
