// Group-wise int8 kernels for AVX-VNNI (256-bit vpdpbusd).  Compiled with -mavx2 -mfma
// -mavxvnni -ffp-contract=off; only called after dispatch has checked CPUID.
#include <immintrin.h>

#include "feed_native.h"
#include "llama_kernels.h"

namespace feednative {
namespace {

inline __m256i dot32(__m256i acc, __m256i x_abs, __m256i w_signed) {
    return _mm256_dpbusd_avx_epi32(acc, x_abs, w_signed);
}

#include "llama_avx2_common.inc"

void matvec_q8(const int8_t* w, const float* w_scales, int32_t rows, int32_t groups, int32_t group_size,
               const int8_t* x, const float* x_scales, float* out) {
    matvec_q8_from(w, w_scales, rows, groups, group_size, x, x_scales, out, 0);
}

}  // namespace

extern const LlamaKernels kLlamaAvxVnni = {FN_ISA_AVXVNNI, &matvec_q8, &scores};

}  // namespace feednative
