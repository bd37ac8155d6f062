// AVX-512 (F + BW + VNNI) kernels.  Compiled with -mavx512f -mavx512bw -mavx512vnni:
// only ever called after dispatch has checked CPUID.  Internal linkage only (see kernels.h).
#include <immintrin.h>
#include <string.h>

#include "feed_native.h"
#include "kernels.h"

namespace feednative {
namespace {

// Horizontal sums fold the upper 256 bits with a lane shuffle; every integer add is a
// wrapping vpaddd (modulo 2^32), matching the scalar path bit for bit.
inline float hsum_ps(__m512 v) {
    const __m512 folded = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
    const __m256 s256 = _mm512_castps512_ps256(folded);
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(s256), _mm256_extractf128_ps(s256, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

inline uint32_t hsum_epi32(__m512i v) {
    const __m512i folded = _mm512_add_epi32(v, _mm512_shuffle_i32x4(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
    const __m256i s256 = _mm512_castsi512_si256(folded);
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(s256), _mm256_extracti128_si256(s256, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return static_cast<uint32_t>(_mm_cvtsi128_si32(s));
}

float dot_f32_row(const float* a, const float* b, int32_t dim) {
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    __m512 acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
    int32_t k = 0;
    for (; k + 64 <= dim; k += 64) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k), _mm512_loadu_ps(b + k), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k + 16), _mm512_loadu_ps(b + k + 16), acc1);
        acc2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k + 32), _mm512_loadu_ps(b + k + 32), acc2);
        acc3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k + 48), _mm512_loadu_ps(b + k + 48), acc3);
    }
    for (; k + 16 <= dim; k += 16) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k), _mm512_loadu_ps(b + k), acc0);
    }
    if (k < dim) {
        // Masked loads suppress faults on masked-off elements: safe at the end of a mapping.
        const auto mask = static_cast<__mmask16>((1u << (dim - k)) - 1u);
        acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + k), _mm512_maskz_loadu_ps(mask, b + k), acc1);
    }
    return hsum_ps(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)));
}

// vpdpbusd multiplies UNSIGNED bytes by signed bytes.  With a' = a ^ 0x80 = a + 128 (as u8):
//   sum a'*b = sum a*b + 128 * sum b
// so sum a*b = dpbusd(a', b) - 128 * sum(b).  All arithmetic is modulo 2^32 (vpdpbusd does
// not saturate), so the result is bit-identical to the scalar path for every input,
// including -128.  `correction` = 128 * sum(query) is computed once per call.
int32_t dot_s8_row(const int8_t* a, const int8_t* b, int32_t dim, uint32_t correction) {
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    __m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
    int32_t k = 0;
    for (; k + 128 <= dim; k += 128) {
        acc0 = _mm512_dpbusd_epi32(acc0, _mm512_xor_si512(_mm512_loadu_si512(a + k), flip),
                                   _mm512_loadu_si512(b + k));
        acc1 = _mm512_dpbusd_epi32(acc1, _mm512_xor_si512(_mm512_loadu_si512(a + k + 64), flip),
                                   _mm512_loadu_si512(b + k + 64));
    }
    if (k + 64 <= dim) {
        acc0 = _mm512_dpbusd_epi32(acc0, _mm512_xor_si512(_mm512_loadu_si512(a + k), flip),
                                   _mm512_loadu_si512(b + k));
        k += 64;
    }
    if (k < dim) {
        // Masked-off lanes: a' = 0x80 but b = 0, so they contribute nothing.
        const __mmask64 mask = ~0ULL >> (64 - (dim - k));
        const __m512i va = _mm512_xor_si512(_mm512_maskz_loadu_epi8(mask, a + k), flip);
        acc1 = _mm512_dpbusd_epi32(acc1, va, _mm512_maskz_loadu_epi8(mask, b + k));
    }
    return static_cast<int32_t>(hsum_epi32(_mm512_add_epi32(acc0, acc1)) - correction);
}

void dot_f32_avx512(const float* matrix, int64_t rows, int64_t row_stride, const float* query, int32_t dim,
                    float* out) {
    auto* o = reinterpret_cast<unsigned char*>(out);
    for (int64_t r = 0; r < rows; ++r) {
        const float v = dot_f32_row(matrix + r * row_stride, query, dim);
        memcpy(o + static_cast<size_t>(r) * sizeof(float), &v, sizeof v);
    }
}

void dot_s8_avx512(const int8_t* matrix, int64_t rows, int64_t row_stride, const int8_t* query, int32_t dim,
                   int32_t* out) {
    uint32_t query_sum = 0;
    for (int32_t k = 0; k < dim; ++k) query_sum += static_cast<uint32_t>(static_cast<int32_t>(query[k]));
    const uint32_t correction = query_sum * 128u;
    auto* o = reinterpret_cast<unsigned char*>(out);
    for (int64_t r = 0; r < rows; ++r) {
        const int32_t v = dot_s8_row(matrix + r * row_stride, query, dim, correction);
        memcpy(o + static_cast<size_t>(r) * sizeof(int32_t), &v, sizeof v);
    }
}

}  // namespace

extern const KernelTable kAvx512Kernels = {FN_ISA_AVX512, &dot_f32_avx512, &dot_s8_avx512};

}  // namespace feednative
