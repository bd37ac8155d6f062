// Portable kernels: the reference path and the fallback on CPUs without AVX2.
// Compiled with baseline flags only.  All element access goes through memcpy from
// byte pointers, so any alignment is fine (the compiler cannot assume 4-byte alignment).
#include <string.h>

#include "feed_native.h"
#include "kernels.h"

namespace feednative {
namespace {

inline float load_f32(const unsigned char* p) {
    float v;
    memcpy(&v, p, sizeof v);
    return v;
}

void dot_f32_scalar(const float* matrix, int64_t rows, int64_t row_stride, const float* query, int32_t dim,
                    float* out) {
    const auto* m = reinterpret_cast<const unsigned char*>(matrix);
    const auto* q = reinterpret_cast<const unsigned char*>(query);
    auto* o = reinterpret_cast<unsigned char*>(out);
    const size_t row_bytes = static_cast<size_t>(row_stride) * sizeof(float);
    for (int64_t r = 0; r < rows; ++r) {
        const unsigned char* row = m + static_cast<size_t>(r) * row_bytes;
        // Four independent accumulators: shorter dependency chains, better rounding.
        float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
        int32_t k = 0;
        for (; k + 4 <= dim; k += 4) {
            const size_t b = static_cast<size_t>(k) * sizeof(float);
            a0 += load_f32(row + b) * load_f32(q + b);
            a1 += load_f32(row + b + 4) * load_f32(q + b + 4);
            a2 += load_f32(row + b + 8) * load_f32(q + b + 8);
            a3 += load_f32(row + b + 12) * load_f32(q + b + 12);
        }
        for (; k < dim; ++k) {
            const size_t b = static_cast<size_t>(k) * sizeof(float);
            a0 += load_f32(row + b) * load_f32(q + b);
        }
        const float sum = (a0 + a1) + (a2 + a3);
        memcpy(o + static_cast<size_t>(r) * sizeof(float), &sum, sizeof sum);
    }
}

void dot_s8_scalar(const int8_t* matrix, int64_t rows, int64_t row_stride, const int8_t* query, int32_t dim,
                   int32_t* out) {
    auto* o = reinterpret_cast<unsigned char*>(out);
    for (int64_t r = 0; r < rows; ++r) {
        const int8_t* row = matrix + r * row_stride;
        uint32_t acc = 0;  // unsigned: wraps modulo 2^32 exactly like the SIMD paths
        for (int32_t k = 0; k < dim; ++k) {
            acc += static_cast<uint32_t>(static_cast<int32_t>(row[k]) * static_cast<int32_t>(query[k]));
        }
        const auto sum = static_cast<int32_t>(acc);
        memcpy(o + static_cast<size_t>(r) * sizeof(int32_t), &sum, sizeof sum);
    }
}

}  // namespace

extern const KernelTable kScalarKernels = {FN_ISA_SCALAR, &dot_f32_scalar, &dot_s8_scalar};

}  // namespace feednative
