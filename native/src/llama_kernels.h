// Internal interface of the group-wise int8 matrix-vector kernels the Llama decoder runs in
// INT8 mode (api_llama.cpp, llama_forward.cpp), one table per ISA translation unit.  Same
// rule as kernels.h: only plain types and function pointers here, so nothing compiled with
// wide-vector flags can leak into a baseline translation unit.
//
// Layout shared by every path: a weight matrix of `rows` rows, each of groups * group_size
// int8 values (row r at w + r * groups * group_size), values in -127..127 (never -128: the
// AVX2 sign trick needs |x| <= 127); weight scales group-major, w_scales[g * rows + r]; an
// activation vector of groups * group_size int8 values with one scale per group.
// group_size is a multiple of 32.  Arguments are validated before these are called.
#ifndef FEED_NATIVE_LLAMA_KERNELS_H
#define FEED_NATIVE_LLAMA_KERNELS_H

#include <stdint.h>

namespace feednative {

// out[r] = sum over g in ascending order of (float)dot(r, g) * (w_scales[g * rows + r] * x_scales[g]),
// starting from 0.0f, each product and sum rounded to float (no fused multiply-add): the
// float result is bit-identical on every path because each lane performs the same operations.
using MatvecQ8Fn = void (*)(const int8_t* w, const float* w_scales, int32_t rows, int32_t groups,
                            int32_t group_size, const int8_t* x, const float* x_scales, float* out);

// Attention scores: out[t] = scale * dot(keys[t * stride ...], q) for t < n (one head's query
// against n cached keys, stride floats apart), in float without fused multiply-add and in one
// order on every path: when head_size is a multiple of 8, eight lane sums a[j] += k[c + j] * q[c + j]
// over the chunks c, then ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)); otherwise a
// sequential sum.  So scores (and int8-mode logits) are bit-identical across paths.
using ScoresFn = void (*)(const float* keys, int32_t n, int64_t stride, const float* q, int32_t head_size,
                          float scale, float* out);

struct LlamaKernels {
    int32_t isa;  // enum fn_isa
    MatvecQ8Fn matvec_q8;
    ScoresFn scores;
};

extern const LlamaKernels kLlamaScalar;
extern const LlamaKernels kLlamaAvx2;
extern const LlamaKernels kLlamaAvxVnni;
extern const LlamaKernels kLlamaAvx512;

// The table of the process's current ISA path (follows fn_set_isa).
const LlamaKernels* active_llama_kernels() noexcept;

}  // namespace feednative

#endif
