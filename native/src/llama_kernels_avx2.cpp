// Group-wise int8 kernels for AVX2 (vpmaddubsw + vpmaddwd).  Compiled with -mavx2 -mfma
// -ffp-contract=off; only called after dispatch has checked CPUID.
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

void matvec_q8(const int8_t* w, const float* w_scales, int32_t rows, int32_t groups, int32_t group_size,
               const int8_t* x, const float* x_scales, float* out) {
    matvec_q8_from(w, w_scales, rows, groups, group_size, x, x_scales, out, 0);
}

}  // namespace

extern const LlamaKernels kLlamaAvx2 = {FN_ISA_AVX2, &matvec_q8, &scores};

}  // namespace feednative
