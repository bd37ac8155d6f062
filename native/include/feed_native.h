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
#define FN_ABI_VERSION 2

/** Kernel instruction-set paths. Bit (1 << isa) is set in fn_info.isa_supported_mask when usable. */
enum fn_isa {
    FN_ISA_SCALAR = 0, /* portable C++, any x86-64 (or other) CPU            */
    FN_ISA_AVX2 = 1,   /* AVX2 + FMA                                         */
    FN_ISA_AVX512 = 2, /* AVX-512 F + BW + VNNI; name "avx512vnni"           */
    FN_ISA_AVXVNNI = 3 /* AVX2 + FMA + AVX-VNNI (256-bit vpdpbusd); "avxvnni" */
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

/** "scalar", "avx2", "avx512vnni", "avxvnni", or "unknown". Static storage; never NULL. */
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


/* ===================================================================================== */
/* Vector utilities (retrieval and scoring)                                               */
/* ===================================================================================== */

/**
 * The k largest of scores[0..n): out_index/out_score receive min(k, n) entries, best
 * first; equal scores keep the lower index first.  NaN scores are never selected.
 * *out_count receives the number written.  k >= 1; n >= 0.
 */
FN_API int fn_topk_f32(const float* scores, int64_t n, int32_t k, int32_t* out_index, float* out_score,
                       int32_t* out_count);

/** As fn_topk_f32 over int32 scores (e.g. fn_dot_s8_batch results). */
FN_API int fn_topk_s32(const int32_t* scores, int64_t n, int32_t k, int32_t* out_index, int32_t* out_score,
                       int32_t* out_count);

/**
 * Scales each of `rows` rows (dim floats, row_stride apart) to unit L2 norm in place.
 * Rows whose norm is 0 (or not finite) are left unchanged.
 */
FN_API int fn_l2_normalize_f32(float* rows, int64_t n_rows, int64_t row_stride, int32_t dim);

/* ===================================================================================== */
/* Number formats: FP8 (OCP 8-bit floating point, E4M3 and E5M2), BF16, FP16               */
/* ===================================================================================== */

enum fn_fp8_format {
    FN_FP8_E4M3 = 0, /* 1-4-3, bias 7, no infinities, NaN = S.1111.111, max finite 448      */
    FN_FP8_E5M2 = 1  /* 1-5-2, bias 15, IEEE-like: infinities and NaNs, max finite 57344      */
};

/**
 * float -> FP8, round to nearest even.  saturate != 0 ("satfinite"): finite values beyond
 * max finite and +-Inf become +-max finite.  saturate == 0: out-of-range values become
 * NaN (E4M3) or +-Inf (E5M2).  NaN always maps to NaN.  Subnormals are produced exactly.
 */
FN_API int fn_f32_to_fp8(const float* in, int64_t n, int32_t format, int32_t saturate, uint8_t* out);
/** FP8 -> float, exact (every FP8 value is representable). */
FN_API int fn_fp8_to_f32(const uint8_t* in, int64_t n, int32_t format, float* out);
/** float -> bfloat16, round to nearest even; NaN stays NaN (quiet). */
FN_API int fn_f32_to_bf16(const float* in, int64_t n, uint16_t* out);
/** bfloat16 -> float, exact. */
FN_API int fn_bf16_to_f32(const uint16_t* in, int64_t n, float* out);
/** float -> IEEE binary16, round to nearest even; overflow -> +-Inf; subnormals exact. */
FN_API int fn_f32_to_f16(const float* in, int64_t n, uint16_t* out);
/** IEEE binary16 -> float, exact. */
FN_API int fn_f16_to_f32(const uint16_t* in, int64_t n, float* out);

/* ===================================================================================== */
/* Quantization and calibration                                                           */
/* ===================================================================================== */

/** *out_min / *out_max over in[0..n), n >= 1; NaNs are ignored (all-NaN input: error). */
FN_API int fn_minmax_f32(const float* in, int64_t n, float* out_min, float* out_max);
/**
 * The `percentile` (0 < p <= 100) of |in[i]|, nearest-rank on the sorted absolute values;
 * p = 100 is the abs-max.  `scratch` must hold n floats (the input is left untouched).
 */
FN_API int fn_abs_percentile_f32(const float* in, int64_t n, double percentile, float* scratch, float* out);
/** Symmetric int8: out[i] = clamp(round_half_even(in[i] / scale), -127, 127); scale > 0. */
FN_API int fn_quantize_s8(const float* in, int64_t n, float scale, int8_t* out);
/**
 * Symmetric per-row (per output channel) int8 of a rows x cols matrix (ld floats apart):
 * scales[r] = absmax(row r) / 127 (1.0 for an all-zero row), then fn_quantize_s8 per row
 * into out (rows x cols, dense).
 */
FN_API int fn_quantize_s8_rows(const float* in, int64_t rows, int64_t cols, int64_t ld, float* scales, int8_t* out);
/** Asymmetric uint8: out[i] = clamp(round_half_even(in[i] / scale) + zero_point, 0, 255). */
FN_API int fn_quantize_u8(const float* in, int64_t n, float scale, int32_t zero_point, uint8_t* out);
/** out[i] = in[i] * scale. */
FN_API int fn_dequantize_s8(const int8_t* in, int64_t n, float scale, float* out);

/* ===================================================================================== */
/* int8 GEMM with packed weights and a fused epilogue                                     */
/* ===================================================================================== */

enum fn_activation { FN_ACT_NONE = 0, FN_ACT_RELU = 1, FN_ACT_SILU = 2, FN_ACT_GELU = 3 /* tanh form */ };
enum fn_output { FN_OUT_S32 = 0, FN_OUT_F32 = 1, FN_OUT_S8 = 2, FN_OUT_U8 = 3 };

/**
 * What happens to each int32 accumulator acc[m][n] before it is stored:
 *   S32: stored as is (scale, bias, activation must be NULL / NONE).
 *   otherwise y = acc * (row_scale ? row_scale[m] : 1) * col_scale[n] + (bias ? bias[n] : 0),
 *   then the activation; F32 stores y; S8/U8 store
 *   clamp(round_half_even(y / out_scale) + out_zero_point, -128..127 / 0..255).
 * The float steps are evaluated in float, in exactly the order of docs/native.md ("Epilogue"),
 * on every ISA path, so F32/S8/U8 outputs are bit-identical across paths.  S8/U8 need a
 * finite out_scale > 0 and out_zero_point in -128..127 (S8) / 0..255 (U8).
 */
typedef struct fn_epilogue {
    const float* row_scale;   /* m multipliers (dynamic per-row activation scales) or NULL    */
    const float* col_scale;   /* n multipliers (input scale x weight scale); required unless S32 */
    const float* bias;        /* n biases or NULL                                             */
    int32_t activation;       /* enum fn_activation                                           */
    int32_t output;           /* enum fn_output                                               */
    float out_scale;          /* S8/U8 only: > 0                                              */
    int32_t out_zero_point;   /* S8/U8 only                                                   */
} fn_epilogue;

/** Bytes needed to pack an n x k int8 weight matrix (n, k >= 1; layout in docs/native.md). */
FN_API int fn_pack_s8_size(int32_t n, int32_t k, int64_t* out_bytes);
/**
 * Packs w (n rows = output channels, k columns, ld bytes apart) into the blob layout every
 * ISA path reads (done once at model load; the blob records n and k and per-channel sums).
 */
FN_API int fn_pack_s8(const int8_t* w, int32_t n, int32_t k, int64_t ld, void* packed, int64_t packed_bytes);

/**
 * acc[m][n] = sum_k (a[m][k] - a_zero_point) * w[n][k] for uint8 activations (m rows, k
 * columns, lda bytes apart), then the epilogue; out row m starts at out + m * ldo elements
 * of the output type.  Exact int32 accumulation, identical on every ISA path.
 * m >= 0, k >= 1, n >= 1, lda >= k, ldo >= n, 0 <= a_zero_point <= 255; packed_w must come
 * from fn_pack_s8 with the same n and k.  Exact while |sum| < 2^31, which always holds for
 * k <= 65793; beyond that results wrap modulo 2^32 (same on all paths).
 */
FN_API int fn_gemm_u8s8(const uint8_t* a, int64_t m, int32_t k, int64_t lda, int32_t a_zero_point,
                        const void* packed_w, int32_t n, const fn_epilogue* ep, void* out, int64_t ldo);
/** As fn_gemm_u8s8 for int8 activations (zero point 0); exact for k <= 131071. */
FN_API int fn_gemm_s8s8(const int8_t* a, int64_t m, int32_t k, int64_t lda,
                        const void* packed_w, int32_t n, const fn_epilogue* ep, void* out, int64_t ldo);
/**
 * Float reference GEMM: out[m][n] = act(sum_k a[m][k] * w[n][k] + bias[n]); w is n x k
 * (ldw floats apart), bias may be NULL.  Same shapes as the int8 path, for comparisons.
 * The summation order (so rounding) differs between ISA paths.
 */
FN_API int fn_gemm_f32(const float* a, int64_t m, int32_t k, int64_t lda, const float* w, int32_t n, int64_t ldw,
                       const float* bias, int32_t activation, float* out, int64_t ldo);

/* ===================================================================================== */
/* Quantized MLP: a shared bottom and several heads, one downcall per batch              */
/* ===================================================================================== */

/** Opaque handle to a packed, quantized model; owns its weights. */
typedef struct fn_mlp fn_mlp;

/** One dense layer as given (float weights, quantized per output channel at creation). */
typedef struct fn_layer_spec {
    int32_t in;               /* input width                                                  */
    int32_t out;              /* output width                                                 */
    const float* weights;     /* out x in, row-major                                          */
    const float* bias;        /* out floats, or NULL                                          */
    int32_t activation;       /* enum fn_activation                                           */
    int32_t input_layer;      /* -1: the model input; else the index of an earlier layer      */
} fn_layer_spec;

/**
 * Builds a model from n_layers specs (each layer's input is the model input or an earlier
 * layer's output, so a shared bottom with several heads is a tree).  The model's output row
 * is the concatenation of the outputs of output_layers[0..n_outputs).  Activations are
 * quantized per row to int8 at each layer (dynamic absmax); weights per output channel.
 * Weights and biases must be finite; *out_model is NULL on failure.
 */
FN_API int fn_mlp_create(const fn_layer_spec* layers, int32_t n_layers, const int32_t* output_layers,
                         int32_t n_outputs, fn_mlp** out_model);
/** Input width, total output width and bytes of packed weights. */
FN_API int fn_mlp_shape(const fn_mlp* model, int32_t* in_dim, int32_t* out_dim, int64_t* weight_bytes);
/** Scratch bytes fn_mlp_forward (and its _add and _gather forms) needs for up to max_rows rows. */
FN_API int fn_mlp_scratch_size(const fn_mlp* model, int64_t max_rows, int64_t* out_bytes);
/**
 * Runs rows rows of x (in_dim floats each, ldx apart) through the model into out (out_dim
 * floats each, ldo apart), using the caller's scratch; allocates nothing.  Thread-safe for
 * concurrent calls with distinct scratch buffers.
 */
FN_API int fn_mlp_forward(const fn_mlp* model, const float* x, int64_t rows, int64_t ldx, void* scratch,
                          int64_t scratch_bytes, float* out, int64_t ldo);
/**
 * As fn_mlp_forward, plus one float row per input row added to layer 0's pre-activation:
 *   y[r][j] = (((float)acc * row_scale[r]) * weight_scale[j] + bias[j]) + addend[r * ld_add + j]
 * (in this order, in float), then layer 0's activation; j < layer 0's out.  Only layer 0 takes
 * the addend (layer 0 always reads the model input; later layers are unchanged).  This lets a
 * caller split the first dense layer over feature families: the user-only and item-only parts
 * of W x + b computed elsewhere arrive as the addend, and only the cross part runs in int8.
 * addend == NULL: exactly fn_mlp_forward (ld_add is then ignored); otherwise ld_add >= layer
 * 0's out.  Same scratch size, same bit-identity across ISA paths; allocates nothing.
 */
FN_API int fn_mlp_forward_add(const fn_mlp* model, const float* x, int64_t rows, int64_t ldx, const float* addend,
                              int64_t ld_add, void* scratch, int64_t scratch_bytes, float* out, int64_t ldo);
/**
 * As fn_mlp_forward_add, with layer 0's addend gathered from a table and a row shared by all:
 *   y[r][j] = ((((float)acc * row_scale[r]) * weight_scale[j] + bias[j])
 *              + table[index[r] * ld_table + j]) + shared[j]
 * (in this order, in float; shared == NULL skips its add -- it does not add +0), then layer 0's
 * activation.  For a ranker whose first layer is split by feature family: the item-only part
 * of W x + b is cached per item in `table` (table_rows rows, ld_table >= layer 0's out floats
 * apart), the user-only part computed once per request is `shared`, and index[r] is candidate
 * r's table row; no per-candidate addend is materialised.  Every index[r] must be in
 * [0, table_rows): all are checked before any work, and a bad one is FN_ERR_INVALID_ARGUMENT
 * naming the row and value (the index must not change during the call).  table and index
 * (rows entries, any alignment) must be non-NULL, table_rows >= 1.  Same scratch size as fn_mlp_forward,
 * bit-identical across ISA paths, allocates nothing.
 */
FN_API int fn_mlp_forward_gather(const fn_mlp* model, const float* x, int64_t rows, int64_t ldx, const float* table,
                                 int64_t ld_table, int64_t table_rows, const int32_t* index, const float* shared,
                                 void* scratch, int64_t scratch_bytes, float* out, int64_t ldo);
/** Frees the model; NULL is accepted and ignored.  The handle must not be used afterwards. */
FN_API int fn_mlp_destroy(fn_mlp* model);

/* ===================================================================================== */
/* Llama decoder: llama2.c checkpoints, float or group-wise int8 weights                 */
/* ===================================================================================== */

/** Opaque handle to a loaded model (weights, immutable after load). */
typedef struct fn_llama fn_llama;
/** Opaque handle to one generation's state: its KV cache and scratch, bound to one model. */
typedef struct fn_llama_state fn_llama_state;

enum fn_llama_weights {
    FN_LLAMA_F32 = 0, /* weights kept as float32                                          */
    FN_LLAMA_Q8 = 1   /* matrices quantized at load to int8 with one scale per group       */
};

/** A loaded model's shape and footprint. */
typedef struct fn_llama_config {
    int32_t dim;               /* model width                                              */
    int32_t hidden_dim;        /* feed-forward width                                       */
    int32_t n_layers;
    int32_t n_heads;
    int32_t n_kv_heads;        /* < n_heads: grouped-query attention                       */
    int32_t vocab_size;        /* always positive here                                     */
    int32_t seq_len;           /* longest context the checkpoint was made for              */
    int32_t shared_classifier; /* 1: the classifier is the token embedding                 */
    int32_t weights;           /* enum fn_llama_weights                                    */
    int32_t group_size;        /* FN_LLAMA_Q8: values per quantization group; else 0       */
    int64_t weight_bytes;      /* bytes the model allocated (weights, scales, RoPE tables) */
} fn_llama_config;

/**
 * Loads a llama2.c ("legacy" version 0) checkpoint: a header of seven int32 (dim, hidden_dim,
 * n_layers, n_heads, n_kv_heads, vocab_size, seq_len; vocab_size < 0 means a separate
 * classifier follows the legacy RoPE tables, which are skipped), then float32 tensors; the
 * layout is in docs/generation.md.  The header is validated (positive sizes, n_heads divisible by
 * n_kv_heads, an even head size) and the file size must be exactly what it describes; every
 * weight must be finite.  weights = FN_LLAMA_Q8 quantizes each matrix row in groups of
 * group_size values (0 = the default, 64; else a multiple of 32 up to 1024; a row whose length
 * is not a multiple ends in a shorter group, zero-padded), symmetric: scale = absmax / 127, q = round_half_even(w * 127 / absmax).
 * RMSNorm weights stay float.  *out_model is NULL on failure.
 */
FN_API int fn_llama_load(const char* path, int32_t weights, int32_t group_size, fn_llama** out_model);
/** The model's shape, weight mode and allocated bytes. */
FN_API int fn_llama_get_config(const fn_llama* model, fn_llama_config* out);
/**
 * Bytes fn_llama_state_create allocates for max_seq positions (1 <= max_seq <= seq_len; 0 means
 * seq_len): the KV cache (2 * n_layers * max_seq * kv_dim floats) and the scratch vectors.
 */
FN_API int fn_llama_state_bytes(const fn_llama* model, int32_t max_seq, int64_t* out_bytes);
/**
 * A new generation state for positions 0..max_seq-1 (0 = seq_len).  The model must outlive it:
 * fn_llama_destroy fails while states are alive.  Several states may run forwards on one model
 * at once (one thread per state); one state must not be used by two threads at once (a second
 * concurrent forward on it fails with FN_ERR_INVALID_ARGUMENT).
 */
FN_API int fn_llama_state_create(const fn_llama* model, int32_t max_seq, fn_llama_state** out_state);
/**
 * One decoder step: feeds `token` at position `pos` and writes vocab_size logits.  Positions
 * must be fed in order: pos may be at most the number already fed (pos < that rewinds, reusing
 * the cached prefix), and below the state's max_seq; 0 <= token < vocab_size.  Allocates nothing.
 */
FN_API int fn_llama_forward(fn_llama_state* state, int32_t token, int32_t pos, float* logits);
/** Frees the state; NULL is accepted and ignored.  Must not race with a forward on the same state. */
FN_API int fn_llama_state_destroy(fn_llama_state* state);
/** Frees the model; NULL is accepted.  FN_ERR_INVALID_ARGUMENT while any of its states is alive. */
FN_API int fn_llama_destroy(fn_llama* model);

/**
 * The int8 matrix-vector product of FN_LLAMA_Q8 models, exposed for conformance tests:
 * out[r] = sum over g ascending of (float)dot(r, g) * (w_scales[g * rows + r] * x_scales[g]),
 * from 0.0f, in float without fused multiply-add, so bit-identical on every ISA path.
 * Here dot(r, g) = sum_{i < group_size} w[r * groups * group_size + g * group_size + i] * x[g * group_size + i],
 * exact in int32.  group_size is a multiple of 32 (<= 1024); rows, groups >= 1; every value of w
 * and x in -127..127 (-128 is rejected: the quantizers never produce it and the AVX2 path relies
 * on |x| <= 127).  Non-finite scales simply give non-finite outputs.
 */
FN_API int fn_matvec_q8(const int8_t* w, const float* w_scales, int32_t rows, int32_t groups, int32_t group_size,
                        const int8_t* x, const float* x_scales, float* out);

/* ===================================================================================== */
/* Diagnostics                                                                            */
/* ===================================================================================== */

/**
 * Runs a register-only int8 multiply-add loop (no memory traffic) on the widest int8
 * instruction of the current ISA path (vpdpbusd zmm / ymm, vpmaddwd, or scalar) for
 * `iterations` rounds and stores the number of multiply-adds performed in *out_macs.  The
 * caller times it: macs / seconds is this core's int8 peak, the denominator of GEMM
 * efficiency.  iterations >= 1.
 */
FN_API int fn_peak_int8_macs(int64_t iterations, int64_t* out_macs);

/* ===================================================================================== */
/* Memory                                                                                 */
/* ===================================================================================== */

/**
 * Maps `bytes` of zeroed anonymous memory, 2 MiB-aligned, advised as transparent huge pages
 * BEFORE first touch (advice given after memory is touched only helps once the kernel's
 * background collapser gets to it, which for gigabytes takes hours).  *out_addr receives the
 * address; free it with fn_unmap(addr, bytes).  bytes >= 1.
 */
FN_API int fn_map_huge(int64_t bytes, void** out_addr);

/** Unmaps memory from fn_map_huge (same addr and bytes). */
FN_API int fn_unmap(void* addr, int64_t bytes);

#ifdef __cplusplus
}
#endif

#endif /* FEED_NATIVE_H */
