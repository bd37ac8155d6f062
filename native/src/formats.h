// Number-format conversions behind fn_f32_to_fp8 ... fn_f16_to_f32 (see feed_native.h).
// Internal to libfeednative: no argument validation here (api_formats.cpp does it); every
// function requires n >= 0 and pointers valid for n elements (in and out must not overlap).
// Portable C++, baseline x86-64; integer bit manipulation only, so results never depend on
// the floating-point environment.
#ifndef FEED_NATIVE_FORMATS_H
#define FEED_NATIVE_FORMATS_H

#include <cstdint>

namespace feednative::fmt {

// Canonical NaN encodings produced by the float -> narrow conversions (sign kept).
inline constexpr uint8_t kE4M3NaN = 0x7F;     // S.1111.111, the only E4M3 NaN
inline constexpr uint8_t kE5M2NaN = 0x7E;     // S.11111.10, quiet (top byte of the f16 NaN)
inline constexpr uint16_t kBf16NaN = 0x7FC0;  // quiet
inline constexpr uint16_t kF16NaN = 0x7E00;   // quiet

// format: FN_FP8_E4M3 or FN_FP8_E5M2 (checked by the caller).
void f32_to_fp8(const float* in, int64_t n, int32_t format, bool saturate, uint8_t* out) noexcept;
void fp8_to_f32(const uint8_t* in, int64_t n, int32_t format, float* out) noexcept;
void f32_to_bf16(const float* in, int64_t n, uint16_t* out) noexcept;
void bf16_to_f32(const uint16_t* in, int64_t n, float* out) noexcept;
void f32_to_f16(const float* in, int64_t n, uint16_t* out) noexcept;
void f16_to_f32(const uint16_t* in, int64_t n, float* out) noexcept;

}  // namespace feednative::fmt

#endif
