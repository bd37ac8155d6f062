// Quantization and calibration behind fn_minmax_f32 ... fn_dequantize_s8 (see feed_native.h).
// Internal to libfeednative: no argument validation here (api_formats.cpp does it).
// Portable C++, baseline x86-64.  Every result is defined bit for bit (IEEE float division
// and multiplication, round half to even), so the pure-Java Quantizer matches exactly.
#ifndef FEED_NATIVE_QUANTIZE_H
#define FEED_NATIVE_QUANTIZE_H

#include <cstdint>

namespace feednative::quant {

// Min and max over in[0..n), NaNs skipped, -0.0 ordered below +0.0.  False if every value
// is NaN (or n == 0); the outputs are then untouched.
bool minmax_f32(const float* in, int64_t n, float* out_min, float* out_max) noexcept;

// Nearest-rank percentile of |in[i]| over the non-NaN values: the value at 1-based rank
// clamp(ceil(percentile * m / 100), 1, m) of the m sorted absolute values, stored in *out.
// Requires 0 < percentile <= 100; scratch holds n floats and must not overlap in.  False if
// every value is NaN (m == 0); *out is then untouched.
bool abs_percentile_f32(const float* in, int64_t n, double percentile, float* scratch, float* out) noexcept;

// round_half_even(in[i] / scale) clamped to [-127, 127]; NaN -> 0.  scale > 0 and finite.
void quantize_s8(const float* in, int64_t n, float scale, int8_t* out) noexcept;

// Per-row symmetric int8 (see fn_quantize_s8_rows).  Returns -1, or the first row holding a
// NaN or an infinity (rows before it are already written; that row and later ones are not).
int64_t quantize_s8_rows(const float* in, int64_t rows, int64_t cols, int64_t ld, float* scales,
                         int8_t* out) noexcept;

// clamp(round_half_even(in[i] / scale) + zero_point, 0, 255); NaN -> zero_point.
// scale > 0 and finite; 0 <= zero_point <= 255.
void quantize_u8(const float* in, int64_t n, float scale, int32_t zero_point, uint8_t* out) noexcept;

// out[i] = in[i] * scale.
void dequantize_s8(const int8_t* in, int64_t n, float scale, float* out) noexcept;

}  // namespace feednative::quant

#endif
