// Portable group-wise int8 kernels: the reference every SIMD path must match bit for bit,
// and the fallback on CPUs without AVX2.  Baseline flags, -ffp-contract=off.
#include "feed_native.h"
#include "llama_kernels.h"

namespace feednative {
namespace {

int32_t group_dot(const int8_t* w, const int8_t* x, int32_t n) {
    int32_t acc = 0;
    for (int32_t i = 0; i < n; ++i) acc += static_cast<int32_t>(w[i]) * static_cast<int32_t>(x[i]);
    return acc;
}

void matvec_q8_scalar(const int8_t* w, const float* w_scales, int32_t rows, int32_t groups, int32_t group_size,
                      const int8_t* x, const float* x_scales, float* out) {
    const int64_t row_len = static_cast<int64_t>(groups) * group_size;
    for (int32_t r = 0; r < rows; ++r) {
        const int8_t* row = w + r * row_len;
        float acc = 0.0f;
        for (int32_t g = 0; g < groups; ++g) {
            const int32_t dot = group_dot(row + static_cast<int64_t>(g) * group_size,
                                          x + static_cast<int64_t>(g) * group_size, group_size);
            const float scale = w_scales[static_cast<int64_t>(g) * rows + r] * x_scales[g];
            acc = acc + static_cast<float>(dot) * scale;
        }
        out[r] = acc;
    }
}

// The canonical order of llama_kernels.h.
inline float score_dot(const float* k, const float* q, int32_t head_size) {
    if (head_size % 8 != 0) {
        float dot = 0.0f;
        for (int32_t i = 0; i < head_size; ++i) dot += k[i] * q[i];
        return dot;
    }
    float a[8] = {};
    for (int32_t c = 0; c < head_size; c += 8) {
        for (int j = 0; j < 8; ++j) a[j] = a[j] + k[c + j] * q[c + j];
    }
    return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

void scores_scalar(const float* keys, int32_t n, int64_t stride, const float* q, int32_t head_size, float scale,
                   float* out) {
    for (int32_t t = 0; t < n; ++t) out[t] = score_dot(keys + t * stride, q, head_size) * scale;
}

}  // namespace

extern const LlamaKernels kLlamaScalar = {FN_ISA_SCALAR, &matvec_q8_scalar, &scores_scalar};

}  // namespace feednative
