// Exported vector utilities: top-k selection and L2 normalisation.  Portable C++ (these are
// memory-bound passes; the compiler's baseline vectorisation is enough).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "boundary.h"
#include "feed_native.h"

namespace {

using feednative::fail;
using feednative::internal_error;

// Min-heap entry ordered so that the heap top is the worst kept element: lower score is
// worse; for equal scores the higher index is worse (so ties keep the lower index).
template <typename T>
struct Entry {
    T score;
    int32_t index;
};

template <typename T>
bool better(const Entry<T>& a, const Entry<T>& b) {
    return a.score > b.score || (a.score == b.score && a.index < b.index);
}

template <typename T>
int topk(const char* fn, const T* scores, int64_t n, int32_t k, int32_t* out_index, T* out_score,
         int32_t* out_count) {
    if (scores == nullptr && n > 0) return fail(FN_ERR_NULL_POINTER, "%s: scores is NULL", fn);
    if (out_index == nullptr || out_score == nullptr || out_count == nullptr) {
        return fail(FN_ERR_NULL_POINTER, "%s: an output pointer is NULL", fn);
    }
    if (n < 0) return fail(FN_ERR_INVALID_ARGUMENT, "%s: n must be >= 0 (got %lld)", fn, static_cast<long long>(n));
    if (n > INT32_MAX) return fail(FN_ERR_INVALID_ARGUMENT, "%s: n must fit in int32 (got %lld)", fn, static_cast<long long>(n));
    if (k < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: k must be >= 1 (got %d)", fn, k);
    // The heap lives in the output arrays (worst kept element at [0]): no allocation.
    int32_t size = 0;
    auto worse_at = [&](int32_t a, int32_t b) {
        Entry<T> ea{out_score[a], out_index[a]};
        Entry<T> eb{out_score[b], out_index[b]};
        return better(eb, ea);  // a is worse than b
    };
    auto swap_at = [&](int32_t a, int32_t b) {
        std::swap(out_score[a], out_score[b]);
        std::swap(out_index[a], out_index[b]);
    };
    auto sift_down = [&](int32_t i) {
        for (;;) {
            int32_t l = 2 * i + 1;
            if (l >= size) return;
            int32_t w = l;
            if (l + 1 < size && worse_at(l + 1, l)) w = l + 1;
            if (!worse_at(w, i)) return;
            swap_at(w, i);
            i = w;
        }
    };
    for (int64_t i = 0; i < n; ++i) {
        T s = scores[i];
        if constexpr (std::is_floating_point_v<T>) {
            if (std::isnan(s)) continue;
        }
        Entry<T> e{s, static_cast<int32_t>(i)};
        if (size < k) {
            int32_t c = size++;
            out_score[c] = s;
            out_index[c] = e.index;
            while (c > 0) {
                int32_t p = (c - 1) / 2;
                if (!worse_at(c, p)) break;
                swap_at(c, p);
                c = p;
            }
        } else if (better(e, Entry<T>{out_score[0], out_index[0]})) {
            out_score[0] = s;
            out_index[0] = e.index;
            sift_down(0);
        }
    }
    // Heap sort in place: repeatedly move the worst to the end.
    const int32_t count = size;
    while (size > 1) {
        swap_at(0, size - 1);
        --size;
        sift_down(0);
    }
    *out_count = count;
    return FN_OK;
}

}  // namespace

extern "C" {

int fn_topk_f32(const float* scores, int64_t n, int32_t k, int32_t* out_index, float* out_score, int32_t* out_count) {
    try {
        return topk("fn_topk_f32", scores, n, k, out_index, out_score, out_count);
    } catch (...) {
        return internal_error("fn_topk_f32");
    }
}

int fn_topk_s32(const int32_t* scores, int64_t n, int32_t k, int32_t* out_index, int32_t* out_score,
                int32_t* out_count) {
    try {
        return topk("fn_topk_s32", scores, n, k, out_index, out_score, out_count);
    } catch (...) {
        return internal_error("fn_topk_s32");
    }
}

int fn_l2_normalize_f32(float* rows, int64_t n_rows, int64_t row_stride, int32_t dim) {
    try {
        if (rows == nullptr && n_rows > 0) return fail(FN_ERR_NULL_POINTER, "fn_l2_normalize_f32: rows is NULL");
        if (n_rows < 0) return fail(FN_ERR_INVALID_ARGUMENT, "fn_l2_normalize_f32: n_rows must be >= 0");
        if (dim <= 0) return fail(FN_ERR_INVALID_ARGUMENT, "fn_l2_normalize_f32: dim must be > 0 (got %d)", dim);
        if (row_stride < dim) {
            return fail(FN_ERR_INVALID_ARGUMENT, "fn_l2_normalize_f32: row_stride must be >= dim (got %lld, dim %d)",
                        static_cast<long long>(row_stride), dim);
        }
        for (int64_t r = 0; r < n_rows; ++r) {
            float* row = rows + r * row_stride;
            double sum = 0;  // double: the scale must not depend on summation order
            for (int32_t k = 0; k < dim; ++k) sum += static_cast<double>(row[k]) * row[k];
            if (!(sum > 0) || !std::isfinite(sum)) continue;
            const float inv = static_cast<float>(1.0 / std::sqrt(sum));
            for (int32_t k = 0; k < dim; ++k) row[k] *= inv;
        }
        return FN_OK;
    } catch (...) {
        return internal_error("fn_l2_normalize_f32");
    }
}

}  // extern "C"
