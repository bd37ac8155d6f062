// Register-only vpdpbusd zmm loop: 12 independent accumulators hide the instruction latency,
// so the loop runs at the core's int8 multiply-add throughput.  Compiled with AVX-512 flags.
#include <immintrin.h>

#include "peak.h"

namespace feednative {

int64_t peak_int8_avx512(int64_t iterations) noexcept {
    __m512i a = _mm512_set1_epi8(3);
    __m512i b = _mm512_set1_epi8(-5);
    __m512i acc[12];
    for (auto& r : acc) r = _mm512_setzero_si512();
    for (int64_t i = 0; i < iterations; ++i) {
        // The empty asm keeps a and b opaque so the compiler cannot fold the loop.
        __asm__ volatile("" : "+v"(a), "+v"(b));
        for (auto& r : acc) r = _mm512_dpbusd_epi32(r, a, b);
    }
    __m512i sum = acc[0];
    for (int r = 1; r < 12; ++r) sum = _mm512_add_epi32(sum, acc[r]);
    alignas(64) int lanes[16];
    _mm512_store_si512(lanes, sum);
    volatile int sink = lanes[0];
    (void)sink;
    return iterations * 12 * 64;
}

}  // namespace feednative
