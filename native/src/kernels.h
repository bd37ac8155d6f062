// Internal interface between the dispatcher and the per-ISA kernel translation units.
//
// IMPORTANT: the ISA translation units (kernels_avx2.cpp, kernels_avxvnni.cpp,
// kernels_avx512.cpp, gemm_*.cpp) are compiled with -mavx2 / -mavxvnni / -mavx512*.  Any inline function or template they instantiate from a shared
// header could be merged by the linker with the copy from a baseline TU and then execute
// AVX code on a CPU without AVX.  So this header only declares plain data and function
// pointer types; every helper in an ISA TU lives in an anonymous namespace.
#ifndef FEED_NATIVE_KERNELS_H
#define FEED_NATIVE_KERNELS_H

#include <stdint.h>

namespace feednative {

// Arguments are already validated by the API layer: pointers non-null, rows >= 0,
// dim > 0, row_stride >= dim, and the matrix extent fits in the address space.
// Pointers may be arbitrarily aligned.
using DotF32Fn = void (*)(const float* matrix, int64_t rows, int64_t row_stride,
                          const float* query, int32_t dim, float* out);
using DotS8Fn = void (*)(const int8_t* matrix, int64_t rows, int64_t row_stride,
                         const int8_t* query, int32_t dim, int32_t* out);

struct KernelTable {
    int32_t isa;  // enum fn_isa
    DotF32Fn dot_f32;
    DotS8Fn dot_s8;
};

// Constant-initialized (no code runs in an ISA TU before dispatch picks it).
extern const KernelTable kScalarKernels;
extern const KernelTable kAvx2Kernels;
extern const KernelTable kAvx512Kernels;
extern const KernelTable kAvxVnniKernels;

}  // namespace feednative

#endif
