// Exported int8 GEMM entry points: weight packing, argument and blob validation, and the
// hand-off to the kernel table of the current ISA path (gemm_*.cpp).  Baseline flags.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "boundary.h"
#include "dispatch.h"
#include "feed_native.h"
#include "gemm.h"

namespace feednative {

const GemmKernels* active_gemm_kernels() noexcept {
    switch (active_kernels()->isa) {
        case FN_ISA_AVX2: return &kGemmAvx2;
        case FN_ISA_AVX512: return &kGemmAvx512;
        case FN_ISA_AVXVNNI: return &kGemmAvxVnni;
        default: return &kGemmScalar;
    }
}

namespace {

int32_t k_groups_of(int32_t k) { return static_cast<int32_t>((static_cast<int64_t>(k) + kPackGroupK - 1) / kPackGroupK); }

int32_t round_up(int32_t v, int32_t to) { return static_cast<int32_t>((static_cast<int64_t>(v) + to - 1) / to * to); }

uint32_t fnv1a(const unsigned char* p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
    return h;
}

template <typename T>
void put(unsigned char* blob, size_t offset, T value) {
    std::memcpy(blob + offset, &value, sizeof value);
}

template <typename T>
T get(const unsigned char* blob, size_t offset) {
    T value;
    std::memcpy(&value, blob + offset, sizeof value);
    return value;
}

// Largest n whose padding to 16 columns still fits in int32.
constexpr int32_t kMaxN = INT32_MAX - (kPackBlockCols - 1);

// Header field offsets.
constexpr size_t kOffMagic = 0, kOffVersion = 4, kOffN = 8, kOffK = 12, kOffNPad = 16, kOffKGroups = 20,
                 kOffBytes = 24, kOffCheck = 32;

}  // namespace

int64_t packed_bytes(int32_t n, int32_t k) noexcept {
    const int64_t n_pad = round_up(n, kPackBlockCols);
    const int64_t k_groups = (static_cast<int64_t>(k) + kPackGroupK - 1) / kPackGroupK;
    return kPackHeaderBytes + 4 * n_pad + n_pad / kPackBlockCols * k_groups * kPackGroupBytes;
}

void pack_weights(const int8_t* w, int32_t n, int32_t k, int64_t ld, unsigned char* blob) noexcept {
    const int64_t total = packed_bytes(n, k);
    const int32_t n_pad = round_up(n, kPackBlockCols);
    const int32_t k_groups = k_groups_of(k);
    std::memset(blob, 0, static_cast<size_t>(total));
    put<uint32_t>(blob, kOffMagic, kPackMagic);
    put<uint32_t>(blob, kOffVersion, kPackVersion);
    put<int32_t>(blob, kOffN, n);
    put<int32_t>(blob, kOffK, k);
    put<int32_t>(blob, kOffNPad, n_pad);
    put<int32_t>(blob, kOffKGroups, k_groups);
    put<int64_t>(blob, kOffBytes, total);
    put<uint32_t>(blob, kOffCheck, fnv1a(blob, kOffCheck));
    unsigned char* colsum = blob + kPackHeaderBytes;
    unsigned char* data = colsum + 4 * static_cast<int64_t>(n_pad);
    const int64_t block_bytes = static_cast<int64_t>(k_groups) * kPackGroupBytes;
    for (int32_t j = 0; j < n; ++j) {
        const int8_t* row = w + j * ld;
        unsigned char* col = data + (j / kPackBlockCols) * block_bytes + 4 * (j % kPackBlockCols);
        uint32_t sum = 0;  // modulo 2^32, like the accumulators it corrects
        for (int32_t kk = 0; kk < k; ++kk) {
            sum += static_cast<uint32_t>(static_cast<int32_t>(row[kk]));
            col[(kk / kPackGroupK) * kPackGroupBytes + kk % kPackGroupK] = static_cast<unsigned char>(row[kk]);
        }
        put<uint32_t>(colsum, 4 * static_cast<size_t>(j), sum);
    }
}

int open_packed(const char* function, const void* blob, int32_t n, int32_t k, PackedView* view) noexcept {
    if (blob == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: packed_w is NULL", function);
    const auto* b = static_cast<const unsigned char*>(blob);
    const uint32_t magic = get<uint32_t>(b, kOffMagic);
    if (magic != kPackMagic) {
        return fail(FN_ERR_INVALID_ARGUMENT,
                    "%s: packed_w is not a packed weight blob (magic 0x%08x, expected 0x%08x \"FNP8\"; "
                    "pack the weights with fn_pack_s8)",
                    function, magic, kPackMagic);
    }
    const uint32_t version = get<uint32_t>(b, kOffVersion);
    if (version != kPackVersion) {
        return fail(FN_ERR_INVALID_ARGUMENT,
                    "%s: packed_w has layout version %u but this library reads version %u; re-pack the weights",
                    function, version, kPackVersion);
    }
    if (get<uint32_t>(b, kOffCheck) != fnv1a(b, kOffCheck)) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: packed_w header is corrupt (checksum mismatch)", function);
    }
    const int32_t bn = get<int32_t>(b, kOffN);
    const int32_t bk = get<int32_t>(b, kOffK);
    if (bn < 1 || bn > kMaxN || bk < 1 || get<int32_t>(b, kOffNPad) != round_up(bn, kPackBlockCols) ||
        get<int32_t>(b, kOffKGroups) != k_groups_of(bk) ||
        get<int64_t>(b, kOffBytes) != packed_bytes(bn, bk)) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: packed_w header is inconsistent (n=%d, k=%d)", function, bn, bk);
    }
    if (bn != n || bk != k) {
        return fail(FN_ERR_INVALID_ARGUMENT,
                    "%s: packed_w holds weights for n=%d, k=%d but the call has n=%d, k=%d", function, bn, bk, n, k);
    }
    view->n = bn;
    view->k = bk;
    view->n_pad = round_up(bn, kPackBlockCols);
    view->k_groups = k_groups_of(bk);
    view->colsum = b + kPackHeaderBytes;
    view->data = reinterpret_cast<const int8_t*>(b + kPackHeaderBytes + 4 * static_cast<int64_t>(view->n_pad));
    return FN_OK;
}

namespace {

const char* activation_name(int32_t a) {
    switch (a) {
        case FN_ACT_NONE: return "FN_ACT_NONE";
        case FN_ACT_RELU: return "FN_ACT_RELU";
        case FN_ACT_SILU: return "FN_ACT_SILU";
        case FN_ACT_GELU: return "FN_ACT_GELU";
        default: return "?";
    }
}

bool valid_activation(int32_t a) { return a >= FN_ACT_NONE && a <= FN_ACT_GELU; }

int check_epilogue(const char* fn, const fn_epilogue* ep, GemmEpilogue* out) {
    if (ep == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: ep is NULL", fn);
    if (ep->output < FN_OUT_S32 || ep->output > FN_OUT_U8) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: ep->output must be FN_OUT_S32, FN_OUT_F32, FN_OUT_S8 or FN_OUT_U8 (got %d)",
                    fn, ep->output);
    }
    if (!valid_activation(ep->activation)) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: ep->activation must be FN_ACT_NONE..FN_ACT_GELU (got %d)", fn,
                    ep->activation);
    }
    if (ep->output == FN_OUT_S32) {
        if (ep->row_scale != nullptr || ep->col_scale != nullptr || ep->bias != nullptr ||
            ep->activation != FN_ACT_NONE) {
            return fail(FN_ERR_INVALID_ARGUMENT,
                        "%s: FN_OUT_S32 stores the raw accumulators: ep->row_scale, ep->col_scale and ep->bias must "
                        "be NULL and ep->activation FN_ACT_NONE (got activation %s)",
                        fn, activation_name(ep->activation));
        }
    } else if (ep->col_scale == nullptr) {
        return fail(FN_ERR_NULL_POINTER, "%s: ep->col_scale is NULL (required unless ep->output is FN_OUT_S32)", fn);
    }
    if (ep->output == FN_OUT_S8 || ep->output == FN_OUT_U8) {
        if (!(ep->out_scale > 0.0f) || !std::isfinite(ep->out_scale)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: ep->out_scale must be finite and > 0 for S8/U8 output (got %g)",
                        fn, static_cast<double>(ep->out_scale));
        }
        const int32_t lo = ep->output == FN_OUT_S8 ? -128 : 0;
        const int32_t hi = ep->output == FN_OUT_S8 ? 127 : 255;
        if (ep->out_zero_point < lo || ep->out_zero_point > hi) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: ep->out_zero_point must be in %d..%d for %s output (got %d)", fn,
                        lo, hi, ep->output == FN_OUT_S8 ? "S8" : "U8", ep->out_zero_point);
        }
    }
    out->row_scale = ep->row_scale;
    out->col_scale = ep->col_scale;
    out->bias = ep->bias;
    out->activation = ep->activation;
    out->output = ep->output;
    out->out_scale = ep->out_scale;
    out->out_zero_point = ep->out_zero_point;
    return FN_OK;
}

// rows x cols elements of elem bytes, ld elements apart: the extent must fit in the address space.
int check_matrix(const char* fn, const char* name, const void* p, int64_t rows, int32_t cols, int64_t ld,
                 const char* ld_name, size_t elem) {
    if (p == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: %s is NULL", fn, name);
    if (ld < cols) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: %s must be >= %d, the row width of %s (got %lld)", fn, ld_name,
                    cols, name, static_cast<long long>(ld));
    }
    const int64_t max_elems = static_cast<int64_t>(PTRDIFF_MAX / elem);
    if (rows > 0 && rows - 1 > (max_elems - cols) / ld) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: extent of %s ((rows-1)*%s+width) overflows (rows=%lld, %s=%lld)", fn,
                    name, ld_name, static_cast<long long>(rows), ld_name, static_cast<long long>(ld));
    }
    return FN_OK;
}

size_t output_bytes(int32_t output) { return output == FN_OUT_S32 || output == FN_OUT_F32 ? 4 : 1; }

int gemm_s8(const char* fn, const uint8_t* a, int64_t m, int32_t k, int64_t lda, int32_t zp, bool is_signed,
            const void* packed_w, int32_t n, const fn_epilogue* ep, void* out, int64_t ldo) {
    if (m < 0) return fail(FN_ERR_INVALID_ARGUMENT, "%s: m must be >= 0 (got %lld)", fn, static_cast<long long>(m));
    if (k < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: k must be >= 1 (got %d)", fn, k);
    if (n < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: n must be >= 1 (got %d)", fn, n);
    if (zp < 0 || zp > 255) return fail(FN_ERR_INVALID_ARGUMENT, "%s: a_zero_point must be in 0..255 (got %d)", fn, zp);
    GemmEpilogue e;
    int status = check_epilogue(fn, ep, &e);
    if (status != FN_OK) return status;
    status = check_matrix(fn, "a", a, m, k, lda, "lda", 1);
    if (status != FN_OK) return status;
    status = check_matrix(fn, "out", out, m, n, ldo, "ldo", output_bytes(ep->output));
    if (status != FN_OK) return status;
    PackedView view;
    status = open_packed(fn, packed_w, n, k, &view);
    if (status != FN_OK) return status;
    if (m > 0) active_gemm_kernels()->gemm_s8(a, m, lda, zp, is_signed ? 1 : 0, &view, &e, out, ldo);
    return FN_OK;
}

}  // namespace
}  // namespace feednative

using feednative::fail;
using feednative::internal_error;

extern "C" {

int fn_pack_s8_size(int32_t n, int32_t k, int64_t* out_bytes) {
    try {
        if (out_bytes == nullptr) return fail(FN_ERR_NULL_POINTER, "fn_pack_s8_size: out_bytes is NULL");
        if (n < 1 || n > feednative::kMaxN) {
            return fail(FN_ERR_INVALID_ARGUMENT, "fn_pack_s8_size: n must be in 1..%d (got %d)", feednative::kMaxN, n);
        }
        if (k < 1) return fail(FN_ERR_INVALID_ARGUMENT, "fn_pack_s8_size: k must be >= 1 (got %d)", k);
        *out_bytes = feednative::packed_bytes(n, k);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_pack_s8_size");
    }
}

int fn_pack_s8(const int8_t* w, int32_t n, int32_t k, int64_t ld, void* packed, int64_t packed_bytes) {
    try {
        const char* fn = "fn_pack_s8";
        if (n < 1 || n > feednative::kMaxN) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: n must be in 1..%d (got %d)", fn, feednative::kMaxN, n);
        }
        if (k < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: k must be >= 1 (got %d)", fn, k);
        int status = feednative::check_matrix(fn, "w", w, n, k, ld, "ld", 1);
        if (status != FN_OK) return status;
        if (packed == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: packed is NULL", fn);
        const int64_t need = feednative::packed_bytes(n, k);
        if (packed_bytes < need) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: packed_bytes=%lld but n=%d, k=%d needs %lld (fn_pack_s8_size)",
                        fn, static_cast<long long>(packed_bytes), n, k, static_cast<long long>(need));
        }
        feednative::pack_weights(w, n, k, ld, static_cast<unsigned char*>(packed));
        return FN_OK;
    } catch (...) {
        return internal_error("fn_pack_s8");
    }
}

int fn_gemm_u8s8(const uint8_t* a, int64_t m, int32_t k, int64_t lda, int32_t a_zero_point, const void* packed_w,
                 int32_t n, const fn_epilogue* ep, void* out, int64_t ldo) {
    try {
        return feednative::gemm_s8("fn_gemm_u8s8", a, m, k, lda, a_zero_point, false, packed_w, n, ep, out, ldo);
    } catch (...) {
        return internal_error("fn_gemm_u8s8");
    }
}

int fn_gemm_s8s8(const int8_t* a, int64_t m, int32_t k, int64_t lda, const void* packed_w, int32_t n,
                 const fn_epilogue* ep, void* out, int64_t ldo) {
    try {
        return feednative::gemm_s8("fn_gemm_s8s8", reinterpret_cast<const uint8_t*>(a), m, k, lda, 0, true,
                                   packed_w, n, ep, out, ldo);
    } catch (...) {
        return internal_error("fn_gemm_s8s8");
    }
}

int fn_gemm_f32(const float* a, int64_t m, int32_t k, int64_t lda, const float* w, int32_t n, int64_t ldw,
                const float* bias, int32_t activation, float* out, int64_t ldo) {
    try {
        const char* fn = "fn_gemm_f32";
        if (m < 0) return fail(FN_ERR_INVALID_ARGUMENT, "%s: m must be >= 0 (got %lld)", fn, static_cast<long long>(m));
        if (k < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: k must be >= 1 (got %d)", fn, k);
        if (n < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: n must be >= 1 (got %d)", fn, n);
        if (!feednative::valid_activation(activation)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: activation must be FN_ACT_NONE..FN_ACT_GELU (got %d)", fn,
                        activation);
        }
        int status = feednative::check_matrix(fn, "a", a, m, k, lda, "lda", sizeof(float));
        if (status == FN_OK) status = feednative::check_matrix(fn, "w", w, n, k, ldw, "ldw", sizeof(float));
        if (status == FN_OK) status = feednative::check_matrix(fn, "out", out, m, n, ldo, "ldo", sizeof(float));
        if (status != FN_OK) return status;
        if (m > 0) feednative::active_gemm_kernels()->gemm_f32(a, m, k, lda, w, n, ldw, bias, activation, out, ldo);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_gemm_f32");
    }
}

}  // extern "C"
