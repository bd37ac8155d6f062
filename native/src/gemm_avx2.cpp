// AVX2 + FMA int8 GEMM, float GEMM and row quantizer.  Compiled with -mavx2 -mfma
// -ffp-contract=off; only called after dispatch has checked CPUID.  Internal linkage only.
//
// int8 micro-kernel without VNNI: 2 rows x 16 columns.  vpmaddubsw would saturate (u8 x s8
// pairs reach 2 * 255 * 128), so activations are zero- (u8) or sign-extended (s8) to int16
// and weights sign-extended; vpmaddwd then adds exact pairs into int32 (|pair| <= 65280).
// Per group of 4 k and 4 columns, a ymm holds [col c: (k0,k1) pair, (k2,k3) pair] x 4; the
// pairs are folded with vphaddd once per k-slice.  s8 sums need no zero-point correction.
#include <immintrin.h>
#include <string.h>

#include "feed_native.h"
#include "gemm.h"

namespace feednative {
namespace {

constexpr int kMR = 2;
constexpr uint32_t kSignedZp = 0;

using MicroFnDecl = void (*)(const uint8_t*, int64_t, const int8_t*, int, int, int32_t*, bool);
MicroFnDecl micro_for(bool is_signed, int mr);

#include "gemm_avx2_common.inc"

template <bool SIGNED>
inline __m256i broadcast_a(uint32_t bytes) {
    const __m128i x = _mm_cvtsi32_si128(static_cast<int32_t>(bytes));
    const __m128i x16 = SIGNED ? _mm_cvtepi8_epi16(x) : _mm_cvtepu8_epi16(x);
    return _mm256_broadcastq_epi64(x16);  // [a0 a1 a2 a3] as int16, four times
}

template <int MR, bool SIGNED>
inline void group(__m256i (&acc)[MR][4], const int8_t* wg, const uint32_t (&bytes)[MR]) {
    __m256i wv[4];
    #pragma GCC unroll 16
    for (int q = 0; q < 4; ++q) {
        wv[q] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(wg + 16 * q)));
    }
    #pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        const __m256i av = broadcast_a<SIGNED>(bytes[r]);
        #pragma GCC unroll 16
        for (int q = 0; q < 4; ++q) acc[r][q] = _mm256_add_epi32(acc[r][q], _mm256_madd_epi16(av, wv[q]));
    }
}

template <int MR, bool SIGNED>
void micro(const uint8_t* a, int64_t lda, const int8_t* w, int ng, int tail, int32_t* c, bool first) {
    __m256i acc[MR][4];
    #pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        #pragma GCC unroll 16
        for (int q = 0; q < 4; ++q) acc[r][q] = _mm256_setzero_si256();
    }
    uint32_t bytes[MR];
    for (int g = 0; g < ng; ++g) {
        #pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) bytes[r] = load_u32(a + r * lda + 4 * g);
        group<MR, SIGNED>(acc, w + static_cast<int64_t>(g) * kPackGroupBytes, bytes);
    }
    if (tail != 0) {  // padding bytes read as 0; their weights are 0 too
        #pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) bytes[r] = load_partial(a + r * lda + 4 * ng, tail);
        group<MR, SIGNED>(acc, w + static_cast<int64_t>(ng) * kPackGroupBytes, bytes);
    }
    #pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        // hadd per 128-bit lane: [c0 c1 c4 c5 | c2 c3 c6 c7]; permute to c0..c7.
        const __m256i lo = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[r][0], acc[r][1]), 0xD8);
        const __m256i hi = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[r][2], acc[r][3]), 0xD8);
        auto* c0 = reinterpret_cast<__m256i*>(c + r * kLdc);
        if (first) {
            _mm256_store_si256(c0, lo);
            _mm256_store_si256(c0 + 1, hi);
        } else {
            _mm256_store_si256(c0, _mm256_add_epi32(_mm256_load_si256(c0), lo));
            _mm256_store_si256(c0 + 1, _mm256_add_epi32(_mm256_load_si256(c0 + 1), hi));
        }
    }
}

MicroFnDecl micro_for(bool is_signed, int mr) {
    if (is_signed) return mr == 1 ? &micro<1, true> : &micro<2, true>;
    return mr == 1 ? &micro<1, false> : &micro<2, false>;
}

}  // namespace

extern const GemmKernels kGemmAvx2 = {FN_ISA_AVX2, &gemm_s8_impl, &gemm_f32_impl, &quantize_rows_impl,
                                      &add_activate_rows_impl};

}  // namespace feednative
