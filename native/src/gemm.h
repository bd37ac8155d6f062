// Internal interface of the int8 GEMM, the float GEMM and the MLP row quantizer: the packed
// weight layout, the epilogue, and one table of kernels per ISA (gemm_{scalar,avx2,avxvnni,
// avx512}.cpp).  Same rule as kernels.h: plain data, constants and function-pointer types
// only; nothing inline or templated that an ISA translation unit could instantiate.
#ifndef FEED_NATIVE_GEMM_H
#define FEED_NATIVE_GEMM_H

#include <stdint.h>

namespace feednative {

// ---- packed weight blob (docs/native.md, "Packed int8 weights") --------------------------
// [0, 64)        header: u32 magic "FNP8", u32 layout version, i32 n, i32 k, i32 n_pad,
//                i32 k_groups, i64 total bytes, u32 check (FNV-1a of bytes [0, 32)), zeros
// [64, +4*n_pad) int32 column sums: colsum[j] = sum_k w[j][k] (0 for padding columns)
// then           n_pad/16 column blocks; block b holds k_groups groups of 64 bytes; group g
//                of block b is 16 columns x 4 consecutive k: byte (b*k_groups + g)*64 + 4*c + i
//                = w[16*b + c][4*g + i] (0 where the column or k is padding).
// All multi-byte fields little-endian; the blob needs no alignment (64 is best).
constexpr uint32_t kPackMagic = 0x38504E46u;  // bytes "FNP8"
constexpr uint32_t kPackVersion = 1;
constexpr int64_t kPackHeaderBytes = 64;
constexpr int32_t kPackBlockCols = 16;  // columns per block (one zmm of int32 results)
constexpr int32_t kPackGroupK = 4;      // k per group (one vpdpbusd lane)
constexpr int64_t kPackGroupBytes = kPackBlockCols * kPackGroupK;

// A validated blob.
struct PackedView {
    const unsigned char* colsum;  // int32[n_pad], possibly unaligned
    const int8_t* data;           // the column blocks
    int32_t n;
    int32_t k;
    int32_t n_pad;     // n rounded up to a multiple of 16
    int32_t k_groups;  // ceil(k / 4)
};

// Mirrors fn_epilogue (already validated).
struct GemmEpilogue {
    const float* row_scale;  // or null
    const float* col_scale;  // null only for S32
    const float* bias;       // or null
    int32_t activation;      // enum fn_activation
    int32_t output;          // enum fn_output
    float out_scale;
    int32_t out_zero_point;
};

// acc[i][j] = sum_k (a[i][k] - zp) * w[j][k] mod 2^32, for uint8 a (a_signed == 0, zp in
// 0..255) or int8 a (a_signed != 0, zp == 0); then the epilogue; out row i at out + i*ldo
// elements.  m >= 1; the k is w->k; lda >= k; ldo >= n.
using GemmS8Fn = void (*)(const uint8_t* a, int64_t m, int64_t lda, int32_t a_zero_point, int32_t a_signed,
                          const PackedView* w, const GemmEpilogue* ep, void* out, int64_t ldo);
// out[i][j] = act(sum_k a[i][k] * w[j][k] + bias[j]); m >= 1, k >= 1, n >= 1.
using GemmF32Fn = void (*)(const float* a, int64_t m, int32_t k, int64_t lda, const float* w, int32_t n,
                           int64_t ldw, const float* bias, int32_t activation, float* out, int64_t ldo);
// Per row i: s = absmax(x[i][0..cols)) (NaNs never win), scale = s / 127 (1 if s == 0);
// q[i][c] = rne(max(min(x / scale, 127), -127)) with SIMD min/max semantics; scales[i] = scale.
using QuantizeRowsFn = void (*)(const float* x, int64_t rows, int64_t ldx, int32_t cols, int8_t* q, int64_t ldq,
                                float* scales);
// In place, for i < rows, j < n, in this float order:
//   v = y[i*ldy + j];  if add: v = v + add[src(i)*ld_add + j];  if shared: v = v + shared[j];
//   y[i*ldy + j] = act(v)
// with the activation of the epilogue below, and src(i) = index[i] when index is non-null (a
// gather: the caller has checked every index; the array may be unaligned), else i.
// ld_add == 0 adds the same n floats to every row (a bias); a null add or shared adds nothing
// (not +0, which would turn -0 into +0).  rows >= 1, n >= 1.
using AddActivateRowsFn = void (*)(float* y, int64_t rows, int32_t n, int64_t ldy, const float* add, int64_t ld_add,
                                   const int32_t* index, const float* shared, int32_t activation);

struct GemmKernels {
    int32_t isa;  // enum fn_isa
    GemmS8Fn gemm_s8;
    GemmF32Fn gemm_f32;
    QuantizeRowsFn quantize_rows;
    AddActivateRowsFn add_activate_rows;
};

extern const GemmKernels kGemmScalar;
extern const GemmKernels kGemmAvx2;
extern const GemmKernels kGemmAvxVnni;
extern const GemmKernels kGemmAvx512;

// ---- baseline helpers (api_gemm.cpp; never called from an ISA translation unit) ----------

// The table for the kernel path in use now.
const GemmKernels* active_gemm_kernels() noexcept;
// Bytes of the blob for n x k weights (n, k >= 1).
int64_t packed_bytes(int32_t n, int32_t k) noexcept;
// Writes the whole blob (packed_bytes(n, k) bytes) for w (n rows, ld bytes apart).
void pack_weights(const int8_t* w, int32_t n, int32_t k, int64_t ld, unsigned char* blob) noexcept;
// Checks the header of `blob` against (n, k); on success fills *view and returns FN_OK, else
// records "<function>: ..." as the last error and returns its status.
int open_packed(const char* function, const void* blob, int32_t n, int32_t k, PackedView* view) noexcept;

// ---- shared float math, spelled out once here and followed by every path -----------------
// (Constants only; each TU writes the operations itself, in exactly this order, with
// -ffp-contract=off, so all paths -- and the Java fallback -- round identically.)
//   fmin(a, b) := a < b ? a : b      fmax(a, b) := a > b ? a : b     (= minps / maxps)
//   rne(v)     := (v + 0x1.8p23f) - 0x1.8p23f                        (|v| <= 2^22)
//   exp(x):  x = fmin(fmax(x, -87), 88); n = rne(x * log2e);
//            r = (x - n * kLn2Hi) - n * kLn2Lo; z = r * r;
//            p = ((((kExpP0 * r + kExpP1) * r + kExpP2) * r + kExpP3) * r + kExpP4) * r + kExpP5;
//            e = ((p * z) + r) + 1;   return e * 2^n   (2^n built from the exponent bits)
//   silu(y) = y / (1 + exp(-y));   gelu(y) = y / (1 + exp(kGeluC * (y + 0.044715 * ((y * y) * y))))
//   (0.5 * (1 + tanh(u)) = 1 / (1 + exp(-2u)), so kGeluC = -2 * sqrt(2 / pi)).
constexpr float kRoundMagic = 12582912.0f;  // 1.5 * 2^23
constexpr float kExpLo = -87.0f;
constexpr float kExpHi = 88.0f;
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Hi = 0.693359375f;
constexpr float kLn2Lo = -2.12194440e-4f;
constexpr float kExpP0 = 1.9875691500e-4f;
constexpr float kExpP1 = 1.3981999507e-3f;
constexpr float kExpP2 = 8.3334519073e-3f;
constexpr float kExpP3 = 4.1665795894e-2f;
constexpr float kExpP4 = 1.6666665459e-1f;
constexpr float kExpP5 = 5.0000001201e-1f;
constexpr float kGeluCube = 0.044715f;
constexpr float kGeluC = -1.5957691216057308f;
constexpr float kRequantClamp = 512.0f;  // |y / out_scale| is clamped to this before rounding

}  // namespace feednative

#endif
