// Exported diagnostics: the register-only int8 peak loop of the current ISA path.
#include <cstdint>

#include "boundary.h"
#include "dispatch.h"
#include "feed_native.h"
#include "peak.h"

namespace feednative {

// Scalar peak: independent integer multiply-adds the compiler cannot fold away.
int64_t peak_int8_scalar(int64_t iterations) noexcept {
    int32_t acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int32_t a = 3;
    int32_t b = -5;
    for (int64_t i = 0; i < iterations; ++i) {
        __asm__ volatile("" : "+r"(a), "+r"(b));
        for (int32_t& r : acc) r += a * b;
    }
    volatile int32_t sink = acc[0] + acc[7];
    (void)sink;
    return iterations * 8;
}

}  // namespace feednative

extern "C" int fn_peak_int8_macs(int64_t iterations, int64_t* out_macs) {
    try {
        if (out_macs == nullptr) return feednative::fail(FN_ERR_NULL_POINTER, "fn_peak_int8_macs: out_macs is NULL");
        if (iterations < 1) {
            return feednative::fail(FN_ERR_INVALID_ARGUMENT, "fn_peak_int8_macs: iterations must be >= 1 (got %lld)",
                                    static_cast<long long>(iterations));
        }
        switch (feednative::active_kernels()->isa) {
            case FN_ISA_AVX512: *out_macs = feednative::peak_int8_avx512(iterations); break;
            case FN_ISA_AVXVNNI: *out_macs = feednative::peak_int8_avxvnni(iterations); break;
            case FN_ISA_AVX2: *out_macs = feednative::peak_int8_avx2(iterations); break;
            default: *out_macs = feednative::peak_int8_scalar(iterations); break;
        }
        return FN_OK;
    } catch (...) {
        return feednative::internal_error("fn_peak_int8_macs");
    }
}
