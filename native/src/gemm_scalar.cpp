// Portable int8 / float GEMM and row quantizer: the reference path, and the fallback on CPUs
// without AVX2.  Baseline flags plus -ffp-contract=off.  The float epilogue written here is
// the canonical one (gemm.h); the SIMD paths and the Java fallback repeat it operation for
// operation, so every path produces the same bits.
#include <string.h>

#include "feed_native.h"
#include "gemm.h"

namespace feednative {
namespace {

inline float fmin_(float a, float b) { return a < b ? a : b; }
inline float fmax_(float a, float b) { return a > b ? a : b; }

inline float rne(float v) {  // |v| <= 2^22
    float t = v + kRoundMagic;
    return t - kRoundMagic;
}

inline float bits_to_float(int32_t bits) {
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

float exp_approx(float x) {
    x = fmax_(x, kExpLo);
    x = fmin_(x, kExpHi);
    float t = x * kLog2e;
    const float n = rne(t);
    float r = x - n * kLn2Hi;
    r = r - n * kLn2Lo;
    const float z = r * r;
    float p = kExpP0;
    p = p * r + kExpP1;
    p = p * r + kExpP2;
    p = p * r + kExpP3;
    p = p * r + kExpP4;
    p = p * r + kExpP5;
    p = p * z;
    p = p + r;
    p = p + 1.0f;
    const int32_t e = (static_cast<int32_t>(n) + 127) << 23;
    return p * bits_to_float(e);
}

float activate(float y, int32_t activation) {
    switch (activation) {
        case FN_ACT_RELU: return y > 0.0f ? y : 0.0f;
        case FN_ACT_SILU: return y / (1.0f + exp_approx(-y));
        case FN_ACT_GELU: {
            const float y3 = (y * y) * y;
            const float u = y + kGeluCube * y3;
            return y / (1.0f + exp_approx(kGeluC * u));
        }
        default: return y;
    }
}

inline int32_t load_i32(const unsigned char* p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

inline float load_f32(const float* p) {
    float v;
    memcpy(&v, p, sizeof v);
    return v;
}

// Stores the epilogue of one accumulator for row i, column j.
void finish(int32_t acc, int64_t i, int32_t j, const GemmEpilogue* ep, void* out, int64_t ldo) {
    const int64_t at = i * ldo + j;
    if (ep->output == FN_OUT_S32) {
        memcpy(static_cast<unsigned char*>(out) + at * 4, &acc, 4);
        return;
    }
    float y = static_cast<float>(acc);
    if (ep->row_scale != nullptr) y = y * load_f32(ep->row_scale + i);
    y = y * load_f32(ep->col_scale + j);
    if (ep->bias != nullptr) y = y + load_f32(ep->bias + j);
    y = activate(y, ep->activation);
    if (ep->output == FN_OUT_F32) {
        memcpy(static_cast<unsigned char*>(out) + at * 4, &y, 4);
        return;
    }
    float v = y / ep->out_scale;
    v = fmax_(v, -kRequantClamp);
    v = fmin_(v, kRequantClamp);
    int32_t q = static_cast<int32_t>(rne(v)) + ep->out_zero_point;
    const int32_t lo = ep->output == FN_OUT_S8 ? -128 : 0;
    const int32_t hi = ep->output == FN_OUT_S8 ? 127 : 255;
    q = q < lo ? lo : (q > hi ? hi : q);
    static_cast<unsigned char*>(out)[at] = static_cast<unsigned char>(q);
}

void gemm_s8_scalar(const uint8_t* a, int64_t m, int64_t lda, int32_t a_zero_point, int32_t a_signed,
                    const PackedView* w, const GemmEpilogue* ep, void* out, int64_t ldo) {
    const int32_t k = w->k;
    const int32_t kg = w->k_groups;
    const int64_t block_bytes = static_cast<int64_t>(kg) * kPackGroupBytes;
    const uint32_t zp = static_cast<uint32_t>(a_zero_point);
    for (int64_t i = 0; i < m; ++i) {
        const uint8_t* row = a + i * lda;
        // The row as int32 values in groups of 4, zero-padded to k_groups * 4 (padding weights are 0).
        int32_t av[kPackGroupK];
        for (int32_t b = 0; b * kPackBlockCols < w->n; ++b) {
            uint32_t acc[kPackBlockCols] = {};  // unsigned: wraps modulo 2^32 like every path
            const int8_t* group = w->data + b * block_bytes;
            for (int32_t g = 0; g < kg; ++g, group += kPackGroupBytes) {
                for (int32_t q = 0; q < kPackGroupK; ++q) {
                    const int32_t kk = g * kPackGroupK + q;
                    av[q] = kk >= k ? 0 : a_signed ? static_cast<int32_t>(static_cast<int8_t>(row[kk]))
                                                   : static_cast<int32_t>(row[kk]);
                }
                for (int32_t c = 0; c < kPackBlockCols; ++c) {
                    const int8_t* wc = group + kPackGroupK * c;
                    acc[c] += static_cast<uint32_t>(av[0] * wc[0] + av[1] * wc[1] + av[2] * wc[2] + av[3] * wc[3]);
                }
            }
            const int32_t cols = w->n - b * kPackBlockCols < kPackBlockCols ? w->n - b * kPackBlockCols
                                                                           : kPackBlockCols;
            for (int32_t c = 0; c < cols; ++c) {
                const int32_t j = b * kPackBlockCols + c;
                const uint32_t colsum = static_cast<uint32_t>(load_i32(w->colsum + 4 * j));
                finish(static_cast<int32_t>(acc[c] - zp * colsum), i, j, ep, out, ldo);
            }
        }
    }
}

void gemm_f32_scalar(const float* a, int64_t m, int32_t k, int64_t lda, const float* w, int32_t n, int64_t ldw,
                     const float* bias, int32_t activation, float* out, int64_t ldo) {
    for (int64_t i = 0; i < m; ++i) {
        const float* row = a + i * lda;
        for (int32_t j = 0; j < n; ++j) {
            const float* wr = w + j * ldw;
            float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
            int32_t kk = 0;
            for (; kk + 4 <= k; kk += 4) {
                s0 += load_f32(row + kk) * load_f32(wr + kk);
                s1 += load_f32(row + kk + 1) * load_f32(wr + kk + 1);
                s2 += load_f32(row + kk + 2) * load_f32(wr + kk + 2);
                s3 += load_f32(row + kk + 3) * load_f32(wr + kk + 3);
            }
            for (; kk < k; ++kk) s0 += load_f32(row + kk) * load_f32(wr + kk);
            float y = (s0 + s1) + (s2 + s3);
            if (bias != nullptr) y = y + load_f32(bias + j);
            y = activate(y, activation);
            memcpy(out + i * ldo + j, &y, sizeof y);
        }
    }
}

// A table row number; the caller's index array may be unaligned.
inline int64_t load_index(const int32_t* p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

void add_activate_rows_scalar(float* y, int64_t rows, int32_t n, int64_t ldy, const float* add, int64_t ld_add,
                              const int32_t* index, const float* shared, int32_t activation) {
    for (int64_t i = 0; i < rows; ++i) {
        float* row = y + i * ldy;
        const float* add_row = add == nullptr ? nullptr : add + (index != nullptr ? load_index(index + i) : i) * ld_add;
        for (int32_t j = 0; j < n; ++j) {
            float v = load_f32(row + j);
            if (add_row != nullptr) v = v + load_f32(add_row + j);
            if (shared != nullptr) v = v + load_f32(shared + j);
            v = activate(v, activation);
            memcpy(row + j, &v, sizeof v);
        }
    }
}

void quantize_rows_scalar(const float* x, int64_t rows, int64_t ldx, int32_t cols, int8_t* q, int64_t ldq,
                          float* scales) {
    for (int64_t i = 0; i < rows; ++i) {
        const float* row = x + i * ldx;
        float absmax = 0.0f;
        for (int32_t c = 0; c < cols; ++c) {
            float v = load_f32(row + c);
            v = v < 0.0f ? -v : v;  // (NaN stays NaN and never wins the comparison below)
            absmax = v > absmax ? v : absmax;
        }
        const float scale = absmax > 0.0f ? absmax / 127.0f : 1.0f;
        for (int32_t c = 0; c < cols; ++c) {
            float v = load_f32(row + c) / scale;
            v = fmin_(v, 127.0f);
            v = fmax_(v, -127.0f);
            q[i * ldq + c] = static_cast<int8_t>(static_cast<int32_t>(rne(v)));
        }
        memcpy(scales + i, &scale, sizeof scale);
    }
}

}  // namespace

extern const GemmKernels kGemmScalar = {FN_ISA_SCALAR, &gemm_s8_scalar, &gemm_f32_scalar, &quantize_rows_scalar,
                                      &add_activate_rows_scalar};

}  // namespace feednative
