// float <-> FP8 (OCP E4M3 / E5M2), bfloat16 and IEEE binary16, bit-exact, round to nearest
// even.  Integer-only so the result never depends on MXCSR; dev.feedserver.nativelib.MiniFloat
// is the line-for-line Java twin (keep them in step).
#include "formats.h"

#include <bit>
#include <cstdint>
#include <cstring>

#include "feed_native.h"

namespace feednative::fmt {
namespace {

// A small binary floating-point format: 1 sign bit, `bits - 1 - mant` exponent bits, `mant`
// mantissa bits, exponent bias `bias`.  Codes below are magnitudes (sign bit clear).
struct Format {
    int bits;
    int mant;
    int bias;
    uint32_t max_finite;  // largest finite magnitude code
    uint32_t nan;         // canonical NaN magnitude code
    uint32_t inf;         // infinity magnitude code, 0 if the format has none (E4M3)
};

constexpr Format kE4M3{8, 3, 7, 0x7E, kE4M3NaN, 0};
constexpr Format kE5M2{8, 2, 15, 0x7B, kE5M2NaN, 0x7C};
constexpr Format kF16{16, 10, 15, 0x7BFF, kF16NaN, 0x7C00};

constexpr uint32_t bits_of(float f) noexcept { return std::bit_cast<uint32_t>(f); }

// float bits -> code, round to nearest even with an unbounded exponent first; a result above
// max_finite then becomes max_finite (saturate), infinity (if the format has one) or NaN.
template <const Format& F>
constexpr uint32_t encode(uint32_t f, bool saturate) noexcept {
    const uint32_t sign = (f >> 31) << (F.bits - 1);
    const uint32_t a = f & 0x7FFFFFFFu;
    if (a > 0x7F800000u) return sign | F.nan;
    constexpr uint32_t min_normal = static_cast<uint32_t>(128 - F.bias) << 23;  // 2^(1-bias)
    uint32_t r;
    if (a >= min_normal) {
        // Rebias the exponent, then round the 23-bit mantissa to `mant` bits; a carry out of
        // the mantissa correctly bumps the exponent.  +-Inf lands far above max_finite.
        constexpr int sh = 23 - F.mant;
        const uint32_t t = a - (static_cast<uint32_t>(127 - F.bias) << 23);
        r = (t + ((1u << (sh - 1)) - 1u) + ((t >> sh) & 1u)) >> sh;
    } else {
        // Subnormal (or zero) result: significand m times 2^(e-150), in units of the smallest
        // subnormal 2^(1-bias-mant), is m >> s.  f32 subnormals have exponent 1, no hidden bit.
        const uint32_t e = a >> 23;
        const uint32_t m = e != 0 ? ((a & 0x7FFFFFu) | 0x800000u) : a;
        uint32_t s = static_cast<uint32_t>(151 - F.bias - F.mant) - (e != 0 ? e : 1u);
        if (s > 25) s = 25;  // m < 2^24 <= 2^(s-1): below half the smallest subnormal -> 0
        r = (m + ((1u << (s - 1)) - 1u) + ((m >> s) & 1u)) >> s;  // 2^mant = min normal code
    }
    if (r > F.max_finite) r = saturate ? F.max_finite : (F.inf != 0 ? F.inf : F.nan);
    return sign | r;
}

// code -> float bits, exact.  NaN -> quiet float NaN with the sign and the code's mantissa
// as the top payload bits, except E4M3's single NaN -> 0x7FC00000 | sign.
template <const Format& F>
constexpr uint32_t decode(uint32_t c) noexcept {
    constexpr uint32_t mant_mask = (1u << F.mant) - 1u;
    constexpr uint32_t exp_max = (1u << (F.bits - 1 - F.mant)) - 1u;
    const uint32_t sign = (c >> (F.bits - 1)) << 31;
    const uint32_t mag = c & ((1u << (F.bits - 1)) - 1u);
    const uint32_t e = mag >> F.mant;
    const uint32_t m = mag & mant_mask;
    if (F.inf == 0 ? mag == F.nan : e == exp_max) {
        if (F.inf == 0) return sign | 0x7FC00000u;  // E4M3's one NaN: the canonical float NaN
        if (m == 0) return sign | 0x7F800000u;
        return sign | 0x7FC00000u | (m << (23 - F.mant));
    }
    if (e == 0) {  // subnormal or zero: m * 2^(1-bias-mant), exact in float
        constexpr float unit = static_cast<float>(1.0 / static_cast<double>(1ull << (F.bias + F.mant - 1)));
        return sign | bits_of(static_cast<float>(m) * unit);
    }
    return sign | ((e + 127u - static_cast<uint32_t>(F.bias)) << 23) | (m << (23 - F.mant));
}

template <const Format& F>
constexpr auto decode_table() noexcept {
    struct Table {
        uint32_t bits[256];
    } t{};
    for (uint32_t c = 0; c < 256; ++c) t.bits[c] = decode<F>(c);
    return t;
}

constexpr auto kE4M3Table = decode_table<kE4M3>();
constexpr auto kE5M2Table = decode_table<kE5M2>();

static_assert(kE4M3Table.bits[0x7E] == 0x43E00000u, "E4M3 max finite is 448");
static_assert(kE4M3Table.bits[0x01] == 0x3B000000u, "E4M3 min subnormal is 2^-9");
static_assert(kE5M2Table.bits[0x7B] == 0x47600000u, "E5M2 max finite is 57344");
static_assert(kE5M2Table.bits[0x01] == 0x37800000u, "E5M2 min subnormal is 2^-16");
static_assert(encode<kE4M3>(0x43E80000u, false) == 0x7E, "464 ties to even 448");
static_assert(encode<kE5M2>(0x47700000u, true) == 0x7B, "61440 saturates to 57344");
static_assert(encode<kE5M2>(0x47700000u, false) == 0x7C, "61440 ties up to infinity");
static_assert(encode<kF16>(0x477FF000u, false) == 0x7C00, "65520 rounds to infinity in f16");
static_assert(encode<kF16>(0x33800000u, false) == 0x0001, "2^-24 is the smallest f16 subnormal");

template <const Format& F, typename Out>
void encode_all(const float* in, int64_t n, bool saturate, Out* out) noexcept {
    for (int64_t i = 0; i < n; ++i) {
        uint32_t f;
        std::memcpy(&f, in + i, sizeof f);
        out[i] = static_cast<Out>(encode<F>(f, saturate));
    }
}

void table_decode_all(const uint32_t* table, const uint8_t* in, int64_t n, float* out) noexcept {
    for (int64_t i = 0; i < n; ++i) std::memcpy(out + i, table + in[i], sizeof(float));
}

}  // namespace

void f32_to_fp8(const float* in, int64_t n, int32_t format, bool saturate, uint8_t* out) noexcept {
    if (format == FN_FP8_E4M3) {
        encode_all<kE4M3>(in, n, saturate, out);
    } else {
        encode_all<kE5M2>(in, n, saturate, out);
    }
}

void fp8_to_f32(const uint8_t* in, int64_t n, int32_t format, float* out) noexcept {
    table_decode_all(format == FN_FP8_E4M3 ? kE4M3Table.bits : kE5M2Table.bits, in, n, out);
}

void f32_to_bf16(const float* in, int64_t n, uint16_t* out) noexcept {
    for (int64_t i = 0; i < n; ++i) {
        uint32_t f;
        std::memcpy(&f, in + i, sizeof f);
        const bool nan = (f & 0x7FFFFFFFu) > 0x7F800000u;
        // Round the low 16 bits to nearest even; overflow carries into +-Inf.  f < 0xFF800001
        // here, so the sum cannot wrap.
        const uint32_t rounded = (f + 0x7FFFu + ((f >> 16) & 1u)) >> 16;
        out[i] = static_cast<uint16_t>(nan ? ((f >> 16) & 0x8000u) | kBf16NaN : rounded);
    }
}

void bf16_to_f32(const uint16_t* in, int64_t n, float* out) noexcept {
    for (int64_t i = 0; i < n; ++i) {
        const uint32_t f = static_cast<uint32_t>(in[i]) << 16;
        std::memcpy(out + i, &f, sizeof f);
    }
}

void f32_to_f16(const float* in, int64_t n, uint16_t* out) noexcept { encode_all<kF16>(in, n, false, out); }

void f16_to_f32(const uint16_t* in, int64_t n, float* out) noexcept {
    for (int64_t i = 0; i < n; ++i) {
        const uint32_t f = decode<kF16>(in[i]);
        std::memcpy(out + i, &f, sizeof f);
    }
}

}  // namespace feednative::fmt
