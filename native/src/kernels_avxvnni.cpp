// AVX2 + FMA + AVX-VNNI kernels (VEX-encoded 256-bit vpdpbusd; e.g. Alder Lake and later,
// Zen 5).  Compiled with -mavx2 -mfma -mavxvnni: only ever called after dispatch has checked
// CPUID.  Everything here has internal linkage (see kernels.h for why); the float kernel is
// the avx2 algorithm, written out again here on purpose.
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

inline uint32_t hsum_epi32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
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

// vpdpbusd multiplies UNSIGNED bytes by signed bytes.  With a' = a ^ 0x80 = a + 128 (as u8):
//   sum a'*b = sum a*b + 128 * sum b,
// so sum a*b = dpbusd(a', b) - 128 * sum(b), all modulo 2^32 (vpdpbusd does not saturate):
// bit-identical to the scalar path for every input.  `correction` = 128 * sum(query).
// The last dim % 32 elements go through a scalar loop (AVX2 has no byte-masked loads).
int32_t dot_s8_row(const int8_t* a, const int8_t* b, int32_t dim, int32_t vector_dim, uint32_t correction) {
    const __m256i flip = _mm256_set1_epi8(static_cast<char>(0x80));
    __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
    int32_t k = 0;
    for (; k + 64 <= vector_dim; k += 64) {
        const __m256i a0 = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + k)), flip);
        const __m256i a1 = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + k + 32)), flip);
        acc0 = _mm256_dpbusd_avx_epi32(acc0, a0, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + k)));
        acc1 = _mm256_dpbusd_avx_epi32(acc1, a1, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + k + 32)));
    }
    if (k < vector_dim) {  // one more block of 32
        const __m256i a0 = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + k)), flip);
        acc0 = _mm256_dpbusd_avx_epi32(acc0, a0, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + k)));
        k += 32;
    }
    uint32_t sum = hsum_epi32(_mm256_add_epi32(acc0, acc1)) - correction;
    for (; k < dim; ++k) {
        sum += static_cast<uint32_t>(static_cast<int32_t>(a[k]) * static_cast<int32_t>(b[k]));
    }
    return static_cast<int32_t>(sum);
}

void dot_f32_avxvnni(const float* matrix, int64_t rows, int64_t row_stride, const float* query, int32_t dim,
                     float* out) {
    auto* o = reinterpret_cast<unsigned char*>(out);
    for (int64_t r = 0; r < rows; ++r) {
        const float v = dot_f32_row(matrix + r * row_stride, query, dim);
        memcpy(o + static_cast<size_t>(r) * sizeof(float), &v, sizeof v);
    }
}

void dot_s8_avxvnni(const int8_t* matrix, int64_t rows, int64_t row_stride, const int8_t* query, int32_t dim,
                    int32_t* out) {
    const int32_t vector_dim = dim & ~31;
    uint32_t query_sum = 0;
    for (int32_t k = 0; k < vector_dim; ++k) query_sum += static_cast<uint32_t>(static_cast<int32_t>(query[k]));
    const uint32_t correction = query_sum * 128u;
    auto* o = reinterpret_cast<unsigned char*>(out);
    for (int64_t r = 0; r < rows; ++r) {
        const int32_t v = dot_s8_row(matrix + r * row_stride, query, dim, vector_dim, correction);
        memcpy(o + static_cast<size_t>(r) * sizeof(int32_t), &v, sizeof v);
    }
}

}  // namespace

extern const KernelTable kAvxVnniKernels = {FN_ISA_AVXVNNI, &dot_f32_avxvnni, &dot_s8_avxvnni};

}  // namespace feednative
