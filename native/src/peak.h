// Register-only int8 multiply-add loops, one per ISA translation unit, for fn_peak_int8_macs.
// Each returns the number of multiply-adds it performed.  Plain declarations only (see the
// rule in kernels.h: ISA translation units share no inline code).
#ifndef FEED_NATIVE_PEAK_H
#define FEED_NATIVE_PEAK_H

#include <stdint.h>

namespace feednative {
int64_t peak_int8_scalar(int64_t iterations) noexcept;
int64_t peak_int8_avx2(int64_t iterations) noexcept;
int64_t peak_int8_avxvnni(int64_t iterations) noexcept;
int64_t peak_int8_avx512(int64_t iterations) noexcept;
}  // namespace feednative

#endif
