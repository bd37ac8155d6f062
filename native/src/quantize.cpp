// Quantization and calibration kernels.  Every step is an IEEE float operation or integer
// arithmetic, so results are bit-identical to dev.feedserver.nativelib.JavaQuantizer.
#include "quantize.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace feednative::quant {
namespace {

uint32_t bits_at(const float* p) noexcept {
    uint32_t b;
    std::memcpy(&b, p, sizeof b);
    return b;
}

// Maps float bits to int32 so that signed integer order is the float order for non-NaN
// values, with -0.0 below +0.0.  The map is its own inverse.
int32_t ordered_key(uint32_t b) noexcept {
    return static_cast<int32_t>(b ^ (static_cast<uint32_t>(static_cast<int32_t>(b) >> 31) & 0x7FFFFFFFu));
}

bool is_nan_bits(uint32_t b) noexcept { return (b & 0x7FFFFFFFu) > 0x7F800000u; }

// Round half to even for |y| <= 2^22: adding 1.5 * 2^23 leaves a float whose ulp is 1.
float round_half_even_small(float y) noexcept {
    constexpr float kMagic = 12582912.0f;
    return (y + kMagic) - kMagic;
}

// y with NaN replaced by +0 and clamped to [-limit, limit] (limit an integer).  Done on the
// ordered integer keys: GCC (with the default -ftrapping-math) will not if-convert float
// selects, but vectorises these integer ones; the result equals the float clamp.
float clamp_or_zero(float y, float limit) noexcept {
    uint32_t b;
    std::memcpy(&b, &y, sizeof b);
    const uint32_t nan_mask = 0u - static_cast<uint32_t>(is_nan_bits(b));
    int32_t k = ordered_key(b & ~nan_mask);
    uint32_t lo_bits;
    uint32_t hi_bits;
    const float lo = -limit;
    std::memcpy(&lo_bits, &lo, sizeof lo_bits);
    std::memcpy(&hi_bits, &limit, sizeof hi_bits);
    const int32_t lo_key = ordered_key(lo_bits);
    const int32_t hi_key = ordered_key(hi_bits);
    k = k < lo_key ? lo_key : k;
    k = k > hi_key ? hi_key : k;
    const uint32_t r = static_cast<uint32_t>(ordered_key(static_cast<uint32_t>(k)));
    float out;
    std::memcpy(&out, &r, sizeof out);
    return out;
}

// The histogram bucket holding 0-based rank k; k becomes the rank inside that bucket.
template <int Width>
uint32_t find_bucket(const int64_t (&hist)[1 << Width], int64_t& k) noexcept {
    uint32_t b = 0;
    while (k >= hist[b]) k -= hist[b++];
    return b;
}

}  // namespace

bool minmax_f32(const float* in, int64_t n, float* out_min, float* out_max) noexcept {
    int32_t lo = INT32_MAX;  // no non-NaN value has key INT32_MAX or INT32_MIN
    int32_t hi = INT32_MIN;
    for (int64_t i = 0; i < n; ++i) {
        const uint32_t b = bits_at(in + i);
        const int32_t k = ordered_key(b);
        const int32_t nan_mask = -static_cast<int32_t>(is_nan_bits(b));  // mask form vectorises
        const int32_t klo = (k & ~nan_mask) | (INT32_MAX & nan_mask);
        const int32_t khi = (k & ~nan_mask) | (INT32_MIN & nan_mask);
        lo = klo < lo ? klo : lo;
        hi = khi > hi ? khi : hi;
    }
    if (lo == INT32_MAX) return false;
    const uint32_t min_bits = static_cast<uint32_t>(ordered_key(static_cast<uint32_t>(lo)));
    const uint32_t max_bits = static_cast<uint32_t>(ordered_key(static_cast<uint32_t>(hi)));
    std::memcpy(out_min, &min_bits, sizeof min_bits);
    std::memcpy(out_max, &max_bits, sizeof max_bits);
    return true;
}

// Radix select on the bits of |x| (at most 0x7F800000 for non-NaN, so 31 significant bits):
// bits 30..20 from the input, then 19..10 and 9..0 over the candidates compacted into scratch.
// Deterministic O(n), and the k-th order statistic does not depend on the algorithm anyway.
bool abs_percentile_f32(const float* in, int64_t n, double percentile, float* scratch, float* out) noexcept {
    int64_t hist_hi[1 << 11] = {};
    int64_t m = 0;
    for (int64_t i = 0; i < n; ++i) {
        const uint32_t a = bits_at(in + i) & 0x7FFFFFFFu;
        if (a > 0x7F800000u) continue;
        ++hist_hi[a >> 20];
        ++m;
    }
    if (m == 0) return false;
    double rank = std::ceil(percentile * static_cast<double>(m) / 100.0);
    if (rank < 1.0) rank = 1.0;
    if (rank > static_cast<double>(m)) rank = static_cast<double>(m);
    int64_t k = static_cast<int64_t>(rank) - 1;

    const uint32_t b1 = find_bucket<11>(hist_hi, k);
    int64_t c = 0;
    for (int64_t i = 0; i < n; ++i) {
        const uint32_t a = bits_at(in + i) & 0x7FFFFFFFu;
        if (a <= 0x7F800000u && (a >> 20) == b1) std::memcpy(scratch + c++, &a, sizeof a);
    }
    int64_t hist_mid[1 << 10] = {};
    for (int64_t i = 0; i < c; ++i) ++hist_mid[(bits_at(scratch + i) >> 10) & 0x3FFu];
    const uint32_t b2 = find_bucket<10>(hist_mid, k);

    int64_t c2 = 0;
    for (int64_t i = 0; i < c; ++i) {
        const uint32_t a = bits_at(scratch + i);
        if (((a >> 10) & 0x3FFu) == b2) std::memcpy(scratch + c2++, &a, sizeof a);
    }
    int64_t hist_lo[1 << 10] = {};
    for (int64_t i = 0; i < c2; ++i) ++hist_lo[bits_at(scratch + i) & 0x3FFu];
    const uint32_t b3 = find_bucket<10>(hist_lo, k);

    const uint32_t result = (b1 << 20) | (b2 << 10) | b3;
    std::memcpy(out, &result, sizeof result);
    return true;
}

void quantize_s8(const float* in, int64_t n, float scale, int8_t* out) noexcept {
    for (int64_t i = 0; i < n; ++i) {
        const float y = round_half_even_small(clamp_or_zero(in[i] / scale, 127.0f));
        out[i] = static_cast<int8_t>(static_cast<int32_t>(y));
    }
}

int64_t quantize_s8_rows(const float* in, int64_t rows, int64_t cols, int64_t ld, float* scales,
                         int8_t* out) noexcept {
    for (int64_t r = 0; r < rows; ++r) {
        const float* row = in + r * ld;
        uint32_t amax = 0;
        for (int64_t j = 0; j < cols; ++j) {
            const uint32_t a = bits_at(row + j) & 0x7FFFFFFFu;
            amax = a > amax ? a : amax;
        }
        if (amax >= 0x7F800000u) return r;
        float absmax;
        std::memcpy(&absmax, &amax, sizeof absmax);
        float scale = absmax / 127.0f;
        // All-zero row, or absmax so small that absmax / 127 underflows to 0.
        if (scale == 0.0f) scale = 1.0f;
        scales[r] = scale;
        quantize_s8(row, cols, scale, out + r * cols);
    }
    return -1;
}

void quantize_u8(const float* in, int64_t n, float scale, int32_t zero_point, uint8_t* out) noexcept {
    // Clamping to +-255 before rounding gives the same result as clamping after (both bounds
    // are integers and 0 <= zero_point <= 255), and keeps the magic-number rounding exact.
    for (int64_t i = 0; i < n; ++i) {
        const float y = round_half_even_small(clamp_or_zero(in[i] / scale, 255.0f));
        int32_t q = static_cast<int32_t>(y) + zero_point;
        q = q < 0 ? 0 : q;
        out[i] = static_cast<uint8_t>(q > 255 ? 255 : q);
    }
}

void dequantize_s8(const int8_t* in, int64_t n, float scale, float* out) noexcept {
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(in[i]) * scale;
}

}  // namespace feednative::quant
