// Group-wise int8 kernels for AVX-512 (F + BW + VNNI): sixteen rows per block, two rows per
// zmm (row 2p's 32 bytes in the low half, row 2p+1's in the high half, the activation bytes
// broadcast to both), 512-bit vpdpbusd.  AVX-512 has no vpsignb, so sign(x) * w is a masked
// byte negate.  Rows left over go through the 256-bit body (AVX2 instructions, which every
// AVX-512 CPU has).  Compiled with -mavx512f -mavx512bw -mavx512vnni -ffp-contract=off.
#include <immintrin.h>

#include "feed_native.h"
#include "llama_kernels.h"

namespace feednative {
namespace {

inline __m256i dot32(__m256i acc, __m256i x_abs, __m256i w_signed) {
    const __m256i pairs = _mm256_maddubs_epi16(x_abs, w_signed);  // never saturates: |pair| <= 32258
    return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
}

#include "llama_avx2_common.inc"

// The sixteen row sums of one group: lanes 0-15 = rows 0-15.
inline __m512i block16_group(const int8_t* w, int64_t stride, const int8_t* x_group, int32_t group_size) {
    __m512i acc[8];
    for (int p = 0; p < 8; ++p) acc[p] = _mm512_setzero_si512();
    const __m512i zero = _mm512_setzero_si512();
    for (int32_t c = 0; c < group_size; c += 32) {
        const __m512i xv = _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x_group + c)));
        const __m512i xa = _mm512_abs_epi8(xv);
        const __mmask64 negative = _mm512_movepi8_mask(xv);
        for (int p = 0; p < 8; ++p) {
            const int8_t* row = w + 2 * p * stride + c;
            __m512i wv = _mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row)));
            wv = _mm512_inserti64x4(wv, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + stride)), 1);
            wv = _mm512_mask_sub_epi8(wv, negative, zero, wv);
            acc[p] = _mm512_dpbusd_epi32(acc[p], xa, wv);
        }
    }
    __m256i low[8], high[8];
    for (int p = 0; p < 4; ++p) {
        low[2 * p] = _mm512_castsi512_si256(acc[p]);
        low[2 * p + 1] = _mm512_extracti64x4_epi64(acc[p], 1);
        high[2 * p] = _mm512_castsi512_si256(acc[p + 4]);
        high[2 * p + 1] = _mm512_extracti64x4_epi64(acc[p + 4], 1);
    }
    return _mm512_inserti64x4(_mm512_castsi256_si512(reduce8(low)), reduce8(high), 1);
}

void matvec_q8(const int8_t* w, const float* w_scales, int32_t rows, int32_t groups, int32_t group_size,
               const int8_t* x, const float* x_scales, float* out) {
    const int64_t row_len = static_cast<int64_t>(groups) * group_size;
    int32_t r = 0;
    for (; r + 16 <= rows; r += 16) {
        __m512 acc = _mm512_setzero_ps();
        for (int32_t g = 0; g < groups; ++g) {
            const int64_t at = static_cast<int64_t>(g) * group_size;
            const __m512i sums = block16_group(w + r * row_len + at, row_len, x + at, group_size);
            const __m512 scale = _mm512_mul_ps(_mm512_loadu_ps(w_scales + static_cast<int64_t>(g) * rows + r),
                                               _mm512_set1_ps(x_scales[g]));
            acc = _mm512_add_ps(acc, _mm512_mul_ps(_mm512_cvtepi32_ps(sums), scale));
        }
        _mm512_storeu_ps(out + r, acc);
    }
    matvec_q8_from(w, w_scales, rows, groups, group_size, x, x_scales, out, r);
}

}  // namespace

extern const LlamaKernels kLlamaAvx512 = {FN_ISA_AVX512, &matvec_q8, &scores};

}  // namespace feednative
