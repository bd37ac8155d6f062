// AVX2 + FMA kernels.  Compiled with -mavx2 -mfma: only ever called after dispatch has
// checked CPUID.  Everything here has internal linkage (see kernels.h for why).
#include <immintrin.h>
#include <string.h>

#include "feed_native.h"
#include "kernels.h"

namespace feednative {
namespace {

// Loading 8 ints at kTailMask + 8 - n gives n all-ones lanes followed by zeros.
alignas(32) const int32_t kTailMask[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

inline float hsum_ps(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

inline uint32_t hsum_epi32(__m128i s) {
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return static_cast<uint32_t>(_mm_cvtsi128_si32(s));
}

float dot_f32_row(const float* a, const float* b, int32_t dim) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    __m256 acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
    int32_t k = 0;
    for (; k + 32 <= dim; k += 32) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(b + k + 8), acc1);
        acc2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 16), _mm256_loadu_ps(b + k + 16), acc2);
        acc3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 24), _mm256_loadu_ps(b + k + 24), acc3);
    }
    for (; k + 8 <= dim; k += 8) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), acc0);
    }
    if (k < dim) {
        // vmaskmovps does not touch (or fault on) masked-off elements.
        const __m256i mask = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kTailMask + 8 - (dim - k)));
        acc1 = _mm256_fmadd_ps(_mm256_maskload_ps(a + k, mask), _mm256_maskload_ps(b + k, mask), acc1);
    }
    return hsum_ps(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
}

// Sign-extend 16 int8 to int16, multiply pairwise and add adjacent pairs into int32.
// |(-128)*(-128) + (-128)*(-128)| = 32768 fits easily: exact.
inline __m256i madd16(const int8_t* a, const int8_t* b) {
    const __m256i va = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a)));
    const __m256i vb = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b)));
    return _mm256_madd_epi16(va, vb);
}

int32_t dot_s8_row(const int8_t* a, const int8_t* b, int32_t dim) {
    __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
    int32_t k = 0;
    for (; k + 32 <= dim; k += 32) {
        acc0 = _mm256_add_epi32(acc0, madd16(a + k, b + k));
        acc1 = _mm256_add_epi32(acc1, madd16(a + k + 16, b + k + 16));
    }
    if (k + 16 <= dim) {
        acc0 = _mm256_add_epi32(acc0, madd16(a + k, b + k));
        k += 16;
    }
    const __m256i acc = _mm256_add_epi32(acc0, acc1);
    __m128i acc128 = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    if (k + 8 <= dim) {
        const __m128i va = _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(a + k)));
        const __m128i vb = _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(b + k)));
        acc128 = _mm_add_epi32(acc128, _mm_madd_epi16(va, vb));
        k += 8;
    }
    uint32_t sum = hsum_epi32(acc128);
    for (; k < dim; ++k) {
        sum += static_cast<uint32_t>(static_cast<int32_t>(a[k]) * static_cast<int32_t>(b[k]));
    }
    return static_cast<int32_t>(sum);
}

void dot_f32_avx2(const float* matrix, int64_t rows, int64_t row_stride, const float* query, int32_t dim,
                  float* out) {
    auto* o = reinterpret_cast<unsigned char*>(out);
    for (int64_t r = 0; r < rows; ++r) {
        const float v = dot_f32_row(matrix + r * row_stride, query, dim);
        memcpy(o + static_cast<size_t>(r) * sizeof(float), &v, sizeof v);
    }
}

void dot_s8_avx2(const int8_t* matrix, int64_t rows, int64_t row_stride, const int8_t* query, int32_t dim,
                 int32_t* out) {
    auto* o = reinterpret_cast<unsigned char*>(out);
    for (int64_t r = 0; r < rows; ++r) {
        const int32_t v = dot_s8_row(matrix + r * row_stride, query, dim);
        memcpy(o + static_cast<size_t>(r) * sizeof(int32_t), &v, sizeof v);
    }
}

}  // namespace

extern const KernelTable kAvx2Kernels = {FN_ISA_AVX2, &dot_f32_avx2, &dot_s8_avx2};

}  // namespace feednative
