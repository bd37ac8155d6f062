// The exported C boundary: argument validation, status codes, the thread-local last
// error, and exception containment.  Nothing here throws past an extern "C" function.
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>

#include "boundary.h"
#include "dispatch.h"
#include "feed_native.h"

namespace feednative {
namespace {
// Trivially constructible/destructible, so no TLS guard or destructor registration.
thread_local char t_last_error[512];
}  // namespace

int fail(int status, const char* fmt, ...) noexcept {
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(t_last_error, sizeof t_last_error, fmt, args);
    va_end(args);
    return status;
}

int internal_error(const char* function) noexcept {
    try {
        throw;
    } catch (const std::exception& e) {
        return fail(FN_ERR_INTERNAL, "%s: internal error: %s", function, e.what());
    } catch (...) {
        return fail(FN_ERR_INTERNAL, "%s: internal error: unknown exception", function);
    }
}

const char* last_error() noexcept { return t_last_error; }

}  // namespace feednative

namespace {

using feednative::fail;
using feednative::internal_error;

int check_batch(const char* function, const void* matrix, int64_t rows, int64_t row_stride,
                const void* query, int32_t dim, const void* out, size_t elem_size) noexcept {
    if (matrix == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: matrix is NULL", function);
    if (query == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: query is NULL", function);
    if (out == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out is NULL", function);
    if (rows < 0) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: rows must be >= 0 (got %lld)", function,
                    static_cast<long long>(rows));
    }
    if (dim <= 0) return fail(FN_ERR_INVALID_ARGUMENT, "%s: dim must be > 0 (got %d)", function, dim);
    if (row_stride < dim) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: row_stride must be >= dim (got row_stride=%lld, dim=%d)",
                    function, static_cast<long long>(row_stride), dim);
    }
    const int64_t max_elems = static_cast<int64_t>(PTRDIFF_MAX / elem_size);
    if (rows > 0 && rows - 1 > (max_elems - dim) / row_stride) {
        return fail(FN_ERR_INVALID_ARGUMENT,
                    "%s: matrix extent (rows-1)*row_stride+dim overflows (rows=%lld, row_stride=%lld, dim=%d)",
                    function, static_cast<long long>(rows), static_cast<long long>(row_stride), dim);
    }
    return FN_OK;
}

}  // namespace

extern "C" {

int fn_get_info(fn_info* out) {
    try {
        if (out == nullptr) return fail(FN_ERR_NULL_POINTER, "fn_get_info: out is NULL");
        out->abi_version = FN_ABI_VERSION;
        out->isa = feednative::active_kernels()->isa;
        out->isa_supported_mask = feednative::supported_isa_mask();
        out->reserved = 0;
        return FN_OK;
    } catch (...) {
        return internal_error("fn_get_info");
    }
}

const char* fn_isa_name(int32_t isa) { return feednative::isa_name(isa); }

const char* fn_last_error(void) { return feednative::last_error(); }

const char* fn_dispatch_note(void) { return feednative::dispatch_note(); }

int fn_set_isa(int32_t isa) {
    try {
        const int status = feednative::set_active_isa(isa);
        if (status == FN_ERR_INVALID_ARGUMENT) {
            return fail(status, "fn_set_isa: unknown isa %d (expected FN_ISA_SCALAR=0, FN_ISA_AVX2=1, "
                                "FN_ISA_AVX512=2, FN_ISA_AVXVNNI=3)",
                        isa);
        }
        if (status == FN_ERR_UNSUPPORTED_ISA) {
            return fail(status, "fn_set_isa: this cpu cannot run %s (missing %s)", feednative::isa_name(isa),
                        feednative::missing_features(isa));
        }
        return status;
    } catch (...) {
        return internal_error("fn_set_isa");
    }
}

int fn_dot_f32_batch(const float* matrix, int64_t rows, int64_t row_stride, const float* query, int32_t dim,
                     float* out) {
    try {
        const int status =
            check_batch("fn_dot_f32_batch", matrix, rows, row_stride, query, dim, out, sizeof(float));
        if (status != FN_OK) return status;
        if (rows > 0) feednative::active_kernels()->dot_f32(matrix, rows, row_stride, query, dim, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_dot_f32_batch");
    }
}

int fn_dot_s8_batch(const int8_t* matrix, int64_t rows, int64_t row_stride, const int8_t* query, int32_t dim,
                    int32_t* out) {
    try {
        const int status =
            check_batch("fn_dot_s8_batch", matrix, rows, row_stride, query, dim, out, sizeof(int8_t));
        if (status != FN_OK) return status;
        if (rows > 0) feednative::active_kernels()->dot_s8(matrix, rows, row_stride, query, dim, out);
        return FN_OK;
    } catch (...) {
        return internal_error("fn_dot_s8_batch");
    }
}

}  // extern "C"
