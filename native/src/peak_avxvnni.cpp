// Register-only vpdpbusd ymm (VEX-encoded AVX-VNNI) loop.  Compiled with AVX-VNNI flags.
#include <immintrin.h>

#include "peak.h"

namespace feednative {

int64_t peak_int8_avxvnni(int64_t iterations) noexcept {
    __m256i a = _mm256_set1_epi8(3);
    __m256i b = _mm256_set1_epi8(-5);
    __m256i acc[12];
    for (auto& r : acc) r = _mm256_setzero_si256();
    for (int64_t i = 0; i < iterations; ++i) {
        __asm__ volatile("" : "+x"(a), "+x"(b));
        for (auto& r : acc) r = _mm256_dpbusd_avx_epi32(r, a, b);
    }
    __m256i sum = acc[0];
    for (int r = 1; r < 12; ++r) sum = _mm256_add_epi32(sum, acc[r]);
    alignas(32) int lanes[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), sum);
    volatile int sink = lanes[0];
    (void)sink;
    return iterations * 12 * 32;
}

}  // namespace feednative
