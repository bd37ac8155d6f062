// Exported number-format conversions and quantization: argument validation, status codes,
// exception containment.  The kernels themselves are in formats.cpp and quantize.cpp.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "boundary.h"
#include "feed_native.h"
#include "formats.h"
#include "quantize.h"

namespace {

using feednative::fail;
using feednative::internal_error;

long long ll(int64_t v) { return static_cast<long long>(v); }

// n >= 0, n elements of elem_size addressable, and `ptr` non-NULL unless n == 0.
int check_array(const char* fn, const char* name, const void* ptr, int64_t n, size_t elem_size) noexcept {
    if (n < 0) return fail(FN_ERR_INVALID_ARGUMENT, "%s: n must be >= 0 (got %lld)", fn, ll(n));
    if (n > static_cast<int64_t>(PTRDIFF_MAX / elem_size)) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: n=%lld elements of %zu bytes overflow the address space", fn,
                    ll(n), elem_size);
    }
    if (ptr == nullptr && n > 0) return fail(FN_ERR_NULL_POINTER, "%s: %s is NULL", fn, name);
    return FN_OK;
}

int check_in_out(const char* fn, const void* in, const void* out, int64_t n, size_t in_size,
                 size_t out_size) noexcept {
    int status = check_array(fn, "in", in, n, in_size);
    if (status == FN_OK) status = check_array(fn, "out", out, n, out_size);
    return status;
}

int check_format(const char* fn, int32_t format) noexcept {
    if (format == FN_FP8_E4M3 || format == FN_FP8_E5M2) return FN_OK;
    return fail(FN_ERR_INVALID_ARGUMENT, "%s: format must be FN_FP8_E4M3 (0) or FN_FP8_E5M2 (1) (got %d)", fn,
                format);
}

int check_scale(const char* fn, float scale) noexcept {
    if (scale > 0.0f && std::isfinite(scale)) return FN_OK;
    return fail(FN_ERR_INVALID_ARGUMENT, "%s: scale must be finite and > 0 (got %g)", fn,
                static_cast<double>(scale));
}

bool overlaps(const void* a, size_t a_bytes, const void* b, size_t b_bytes) noexcept {
    const auto pa = reinterpret_cast<uintptr_t>(a);
    const auto pb = reinterpret_cast<uintptr_t>(b);
    return a_bytes != 0 && b_bytes != 0 && pa < pb + b_bytes && pb < pa + a_bytes;
}

}  // namespace

extern "C" {

int fn_f32_to_fp8(const float* in, int64_t n, int32_t format, int32_t saturate, uint8_t* out) {
    try {
        int status = check_in_out("fn_f32_to_fp8", in, out, n, sizeof(float), sizeof(uint8_t));
        if (status == FN_OK) status = check_format("fn_f32_to_fp8", format);
        if (status != FN_OK) return status;
        feednative::fmt::f32_to_fp8(in, n, format, saturate != 0, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_f32_to_fp8");
    }
}

int fn_fp8_to_f32(const uint8_t* in, int64_t n, int32_t format, float* out) {
    try {
        int status = check_in_out("fn_fp8_to_f32", in, out, n, sizeof(uint8_t), sizeof(float));
        if (status == FN_OK) status = check_format("fn_fp8_to_f32", format);
        if (status != FN_OK) return status;
        feednative::fmt::fp8_to_f32(in, n, format, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_fp8_to_f32");
    }
}

int fn_f32_to_bf16(const float* in, int64_t n, uint16_t* out) {
    try {
        const int status = check_in_out("fn_f32_to_bf16", in, out, n, sizeof(float), sizeof(uint16_t));
        if (status != FN_OK) return status;
        feednative::fmt::f32_to_bf16(in, n, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_f32_to_bf16");
    }
}

int fn_bf16_to_f32(const uint16_t* in, int64_t n, float* out) {
    try {
        const int status = check_in_out("fn_bf16_to_f32", in, out, n, sizeof(uint16_t), sizeof(float));
        if (status != FN_OK) return status;
        feednative::fmt::bf16_to_f32(in, n, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_bf16_to_f32");
    }
}

int fn_f32_to_f16(const float* in, int64_t n, uint16_t* out) {
    try {
        const int status = check_in_out("fn_f32_to_f16", in, out, n, sizeof(float), sizeof(uint16_t));
        if (status != FN_OK) return status;
        feednative::fmt::f32_to_f16(in, n, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_f32_to_f16");
    }
}

int fn_f16_to_f32(const uint16_t* in, int64_t n, float* out) {
    try {
        const int status = check_in_out("fn_f16_to_f32", in, out, n, sizeof(uint16_t), sizeof(float));
        if (status != FN_OK) return status;
        feednative::fmt::f16_to_f32(in, n, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_f16_to_f32");
    }
}

int fn_minmax_f32(const float* in, int64_t n, float* out_min, float* out_max) {
    try {
        const char* fn = "fn_minmax_f32";
        if (n < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: n must be >= 1 (got %lld)", fn, ll(n));
        int status = check_array(fn, "in", in, n, sizeof(float));
        if (status != FN_OK) return status;
        if (out_min == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out_min is NULL", fn);
        if (out_max == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out_max is NULL", fn);
        if (!feednative::quant::minmax_f32(in, n, out_min, out_max)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: all %lld values are NaN", fn, ll(n));
        }
        return FN_OK;
    } catch (...) {
        return internal_error("fn_minmax_f32");
    }
}

int fn_abs_percentile_f32(const float* in, int64_t n, double percentile, float* scratch, float* out) {
    try {
        const char* fn = "fn_abs_percentile_f32";
        if (n < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: n must be >= 1 (got %lld)", fn, ll(n));
        int status = check_array(fn, "in", in, n, sizeof(float));
        if (status == FN_OK) status = check_array(fn, "scratch", scratch, n, sizeof(float));
        if (status != FN_OK) return status;
        if (out == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out is NULL", fn);
        if (!(percentile > 0.0 && percentile <= 100.0)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: percentile must be in (0, 100] (got %g)", fn, percentile);
        }
        const size_t bytes = static_cast<size_t>(n) * sizeof(float);
        if (overlaps(in, bytes, scratch, bytes)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: scratch overlaps in (the input must be left untouched)", fn);
        }
        if (!feednative::quant::abs_percentile_f32(in, n, percentile, scratch, out)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: all %lld values are NaN", fn, ll(n));
        }
        return FN_OK;
    } catch (...) {
        return internal_error("fn_abs_percentile_f32");
    }
}

int fn_quantize_s8(const float* in, int64_t n, float scale, int8_t* out) {
    try {
        int status = check_in_out("fn_quantize_s8", in, out, n, sizeof(float), sizeof(int8_t));
        if (status == FN_OK) status = check_scale("fn_quantize_s8", scale);
        if (status != FN_OK) return status;
        feednative::quant::quantize_s8(in, n, scale, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_quantize_s8");
    }
}

int fn_quantize_s8_rows(const float* in, int64_t rows, int64_t cols, int64_t ld, float* scales, int8_t* out) {
    try {
        const char* fn = "fn_quantize_s8_rows";
        if (rows < 0) return fail(FN_ERR_INVALID_ARGUMENT, "%s: rows must be >= 0 (got %lld)", fn, ll(rows));
        if (cols < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: cols must be >= 1 (got %lld)", fn, ll(cols));
        if (ld < cols) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: ld must be >= cols (got ld=%lld, cols=%lld)", fn, ll(ld),
                        ll(cols));
        }
        constexpr int64_t max_floats = static_cast<int64_t>(PTRDIFF_MAX / sizeof(float));
        if (rows > 0 && (rows - 1 > (max_floats - cols) / ld || rows > PTRDIFF_MAX / cols)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: matrix extent overflows (rows=%lld, cols=%lld, ld=%lld)", fn,
                        ll(rows), ll(cols), ll(ld));
        }
        if (rows > 0) {
            if (in == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: in is NULL", fn);
            if (scales == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: scales is NULL", fn);
            if (out == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out is NULL", fn);
        }
        const int64_t bad = feednative::quant::quantize_s8_rows(in, rows, cols, ld, scales, out);
        if (bad >= 0) {
            int64_t col = 0;
            const float* row = in + bad * ld;
            while (col < cols && std::isfinite(row[col])) ++col;
            const float v = col < cols ? row[col] : 0.0f;
            const char* text = std::isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";  // as Java prints them
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: row %lld has a non-finite value (%s) at column %lld", fn,
                        ll(bad), text, ll(col));
        }
        return FN_OK;
    } catch (...) {
        return internal_error("fn_quantize_s8_rows");
    }
}

int fn_quantize_u8(const float* in, int64_t n, float scale, int32_t zero_point, uint8_t* out) {
    try {
        const char* fn = "fn_quantize_u8";
        int status = check_in_out(fn, in, out, n, sizeof(float), sizeof(uint8_t));
        if (status == FN_OK) status = check_scale(fn, scale);
        if (status != FN_OK) return status;
        if (zero_point < 0 || zero_point > 255) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: zero_point must be in [0, 255] (got %d)", fn, zero_point);
        }
        feednative::quant::quantize_u8(in, n, scale, zero_point, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_quantize_u8");
    }
}

int fn_dequantize_s8(const int8_t* in, int64_t n, float scale, float* out) {
    try {
        int status = check_in_out("fn_dequantize_s8", in, out, n, sizeof(int8_t), sizeof(float));
        if (status == FN_OK) status = check_scale("fn_dequantize_s8", scale);
        if (status != FN_OK) return status;
        feednative::quant::dequantize_s8(in, n, scale, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_dequantize_s8");
    }
}

}  // extern "C"
