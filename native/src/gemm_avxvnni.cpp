// AVX2 + FMA + AVX-VNNI int8 GEMM, float GEMM and row quantizer.  Compiled with -mavx2 -mfma
// -mavxvnni -ffp-contract=off; only called after dispatch has checked CPUID.  Internal
// linkage only.  The epilogue, float GEMM and quantizer are the avx2 ones
// (gemm_avx2_common.inc); only the int8 micro-kernel differs.
//
// int8 micro-kernel: 6 rows x 16 columns (12 ymm accumulators).  Per group of 4 k: 2 loads
// of packed weights (columns 0-7 and 8-15 of the 64-byte group), 6 vpbroadcastd of 4
// activation bytes, 12 VEX vpdpbusd.  s8 activations are fed as a ^ 0x80 = a + 128 and
// 128 * colsum is subtracted in the epilogue (all modulo 2^32, hence exact).
#include <immintrin.h>
#include <string.h>

#include "feed_native.h"
#include "gemm.h"

namespace feednative {
namespace {

constexpr int kMR = 6;
constexpr uint32_t kSignedZp = 128;

using MicroFnDecl = void (*)(const uint8_t*, int64_t, const int8_t*, int, int, int32_t*, bool);
MicroFnDecl micro_for(bool is_signed, int mr);

#include "gemm_avx2_common.inc"

template <int MR, bool SIGNED>
void micro(const uint8_t* a, int64_t lda, const int8_t* w, int ng, int tail, int32_t* c, bool first) {
    __m256i acc[MR][2];
    #pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        #pragma GCC unroll 16
        for (int h = 0; h < 2; ++h) {
            acc[r][h] = first ? _mm256_setzero_si256()
                              : _mm256_load_si256(reinterpret_cast<const __m256i*>(c + r * kLdc + 8 * h));
        }
    }
    const __m256i flip = _mm256_set1_epi8(static_cast<char>(0x80));
    for (int g = 0; g < ng; ++g) {
        const int8_t* wg = w + static_cast<int64_t>(g) * kPackGroupBytes;
        const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wg));
        const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wg + 32));
        #pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) {
            __m256i av = _mm256_set1_epi32(static_cast<int32_t>(load_u32(a + r * lda + 4 * g)));
            if (SIGNED) av = _mm256_xor_si256(av, flip);
            acc[r][0] = _mm256_dpbusd_avx_epi32(acc[r][0], av, w0);
            acc[r][1] = _mm256_dpbusd_avx_epi32(acc[r][1], av, w1);
        }
    }
    if (tail != 0) {
        const int8_t* wg = w + static_cast<int64_t>(ng) * kPackGroupBytes;
        const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wg));
        const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wg + 32));
        #pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) {
            // Padding bytes read as 0 (0x80 after the flip); their weights are 0.
            __m256i av = _mm256_set1_epi32(static_cast<int32_t>(load_partial(a + r * lda + 4 * ng, tail)));
            if (SIGNED) av = _mm256_xor_si256(av, flip);
            acc[r][0] = _mm256_dpbusd_avx_epi32(acc[r][0], av, w0);
            acc[r][1] = _mm256_dpbusd_avx_epi32(acc[r][1], av, w1);
        }
    }
    #pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        #pragma GCC unroll 16
        for (int h = 0; h < 2; ++h) _mm256_store_si256(reinterpret_cast<__m256i*>(c + r * kLdc + 8 * h), acc[r][h]);
    }
}

template <bool SIGNED>
MicroFnDecl micro_rows(int mr) {
    switch (mr) {
        case 1: return &micro<1, SIGNED>;
        case 2: return &micro<2, SIGNED>;
        case 3: return &micro<3, SIGNED>;
        case 4: return &micro<4, SIGNED>;
        case 5: return &micro<5, SIGNED>;
        default: return &micro<6, SIGNED>;
    }
}

MicroFnDecl micro_for(bool is_signed, int mr) { return is_signed ? micro_rows<true>(mr) : micro_rows<false>(mr); }

}  // namespace

extern const GemmKernels kGemmAvxVnni = {FN_ISA_AVXVNNI, &gemm_s8_impl, &gemm_f32_impl, &quantize_rows_impl,
                                         &add_activate_rows_impl};

}  // namespace feednative
