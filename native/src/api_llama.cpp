// Exported Llama decoder API (fn_llama_*) and the group-wise int8 matrix-vector product exposed
// for conformance tests (fn_matvec_q8): handle checks, argument validation,
// exception containment.  Baseline flags.
#include <cstdint>
#include <memory>

#include "boundary.h"
#include "dispatch.h"
#include "feed_native.h"
#include "llama_kernels.h"
#include "llama_model.h"

namespace feednative {

const LlamaKernels* active_llama_kernels() noexcept {
    switch (active_kernels()->isa) {
        case FN_ISA_AVX2: return &kLlamaAvx2;
        case FN_ISA_AVX512: return &kLlamaAvx512;
        case FN_ISA_AVXVNNI: return &kLlamaAvxVnni;
        default: return &kLlamaScalar;
    }
}

}  // namespace feednative

namespace {

using feednative::fail;
using feednative::internal_error;

int check_model(const char* fn, const fn_llama* model) {
    if (model == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: model is NULL", fn);
    if (model->magic != feednative::kLlamaMagic) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: model is not a live fn_llama handle (destroyed?)", fn);
    }
    return FN_OK;
}

int check_state(const char* fn, const fn_llama_state* state) {
    if (state == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: state is NULL", fn);
    if (state->magic != feednative::kLlamaStateMagic) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: state is not a live fn_llama_state handle (destroyed?)", fn);
    }
    return FN_OK;
}

int resolve_max_seq(const char* fn, const fn_llama* model, int32_t max_seq, int32_t* out) {
    if (max_seq == 0) max_seq = model->shape.seq_len;
    if (max_seq < 1 || max_seq > model->shape.seq_len) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: max_seq must be 0 (= seq_len) or 1..%d (got %d)", fn,
                    model->shape.seq_len, max_seq);
    }
    *out = max_seq;
    return FN_OK;
}

int check_groups(const char* fn, int32_t rows, int32_t groups, int32_t group_size) {
    if (rows < 1 || groups < 1) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: rows and groups must be >= 1 (got rows=%d, groups=%d)", fn, rows,
                    groups);
    }
    if (group_size < 32 || group_size > feednative::kMaxGroupSize || group_size % 32 != 0) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: group_size must be a multiple of 32 in 32..%d (got %d)", fn,
                    feednative::kMaxGroupSize, group_size);
    }
    if (static_cast<int64_t>(groups) * group_size > INT32_MAX) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: groups * group_size overflows int32", fn);
    }
    return FN_OK;
}

int check_no_min(const char* fn, const char* name, const int8_t* v, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        if (v[i] == -128) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: %s[%lld] is -128; values must be in -127..127", fn, name,
                        static_cast<long long>(i));
        }
    }
    return FN_OK;
}

int check_group_operands(const char* fn, const int8_t* w, int32_t rows, int32_t groups, int32_t group_size,
                         const int8_t* x) {
    int status = check_groups(fn, rows, groups, group_size);
    if (status != FN_OK) return status;
    const int64_t k = static_cast<int64_t>(groups) * group_size;
    status = check_no_min(fn, "w", w, k * rows);
    if (status != FN_OK) return status;
    return check_no_min(fn, "x", x, k);
}

}  // namespace

extern "C" {

int fn_llama_load(const char* path, int32_t weights, int32_t group_size, fn_llama** out_model) {
    const char* fn = "fn_llama_load";
    try {
        if (out_model == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out_model is NULL", fn);
        *out_model = nullptr;
        if (path == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: path is NULL", fn);
        if (weights != FN_LLAMA_F32 && weights != FN_LLAMA_Q8) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: weights must be FN_LLAMA_F32 (0) or FN_LLAMA_Q8 (1) (got %d)", fn,
                        weights);
        }
        if (weights == FN_LLAMA_Q8) {
            if (group_size == 0) group_size = feednative::kDefaultGroupSize;
            if (group_size < 32 || group_size > feednative::kMaxGroupSize || group_size % 32 != 0) {
                return fail(FN_ERR_INVALID_ARGUMENT,
                            "%s: group_size must be 0 (default %d) or a multiple of 32 in 32..%d (got %d)", fn,
                            feednative::kDefaultGroupSize, feednative::kMaxGroupSize, group_size);
            }
        } else if (group_size != 0) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: group_size applies to FN_LLAMA_Q8 only; pass 0 (got %d)", fn,
                        group_size);
        }
        auto model = std::make_unique<fn_llama>();
        const int status = feednative::load_llama(path, weights, group_size, model.get());
        if (status != FN_OK) return status;
        *out_model = model.release();
        return FN_OK;
    } catch (const std::bad_alloc&) {
        return fail(FN_ERR_INTERNAL, "%s: out of memory loading %s", fn, path);
    } catch (...) {
        return internal_error(fn);
    }
}

int fn_llama_get_config(const fn_llama* model, fn_llama_config* out) {
    const char* fn = "fn_llama_get_config";
    try {
        const int status = check_model(fn, model);
        if (status != FN_OK) return status;
        if (out == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out is NULL", fn);
        const feednative::LlamaShape& s = model->shape;
        out->dim = s.dim;
        out->hidden_dim = s.hidden_dim;
        out->n_layers = s.n_layers;
        out->n_heads = s.n_heads;
        out->n_kv_heads = s.n_kv_heads;
        out->vocab_size = s.vocab_size;
        out->seq_len = s.seq_len;
        out->shared_classifier = s.shared_classifier ? 1 : 0;
        out->weights = model->weights;
        out->group_size = model->group_size;
        out->weight_bytes = model->storage.bytes() + static_cast<int64_t>(sizeof(fn_llama)) +
                            static_cast<int64_t>(model->layers.capacity() * sizeof(feednative::LlamaLayer));
        return FN_OK;
    } catch (...) {
        return internal_error(fn);
    }
}

int fn_llama_state_bytes(const fn_llama* model, int32_t max_seq, int64_t* out_bytes) {
    const char* fn = "fn_llama_state_bytes";
    try {
        int status = check_model(fn, model);
        if (status != FN_OK) return status;
        if (out_bytes == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out_bytes is NULL", fn);
        status = resolve_max_seq(fn, model, max_seq, &max_seq);
        if (status != FN_OK) return status;
        *out_bytes = feednative::llama_state_bytes(model, max_seq) + static_cast<int64_t>(sizeof(fn_llama_state));
        return FN_OK;
    } catch (...) {
        return internal_error(fn);
    }
}

int fn_llama_state_create(const fn_llama* model, int32_t max_seq, fn_llama_state** out_state) {
    const char* fn = "fn_llama_state_create";
    try {
        if (out_state == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out_state is NULL", fn);
        *out_state = nullptr;
        int status = check_model(fn, model);
        if (status != FN_OK) return status;
        status = resolve_max_seq(fn, model, max_seq, &max_seq);
        if (status != FN_OK) return status;
        auto state = std::make_unique<fn_llama_state>();
        feednative::init_llama_state(model, max_seq, state.get());
        const_cast<fn_llama*>(model)->live_states.fetch_add(1, std::memory_order_acq_rel);
        *out_state = state.release();
        return FN_OK;
    } catch (const std::bad_alloc&) {
        return fail(FN_ERR_INTERNAL, "%s: out of memory for %d positions", fn, max_seq);
    } catch (...) {
        return internal_error(fn);
    }
}

int fn_llama_forward(fn_llama_state* state, int32_t token, int32_t pos, float* logits) {
    const char* fn = "fn_llama_forward";
    try {
        int status = check_state(fn, state);
        if (status != FN_OK) return status;
        if (logits == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: logits is NULL", fn);
        const fn_llama* model = state->model;
        if (token < 0 || token >= model->shape.vocab_size) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: token %d is outside the vocabulary 0..%d", fn, token,
                        model->shape.vocab_size - 1);
        }
        if (pos < 0 || pos >= state->max_seq) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: pos %d is outside the state's 0..%d", fn, pos,
                        state->max_seq - 1);
        }
        if (pos > state->filled) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: pos %d skips positions: the state holds %d, so pos must be <= %d",
                        fn, pos, state->filled, state->filled);
        }
        if (state->busy.exchange(1, std::memory_order_acquire) != 0) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: the state is in use by another thread", fn);
        }
        struct Release {  // clears busy on every way out, an exception included
            std::atomic<int32_t>& busy;
            ~Release() { busy.store(0, std::memory_order_release); }
        } release{state->busy};
        feednative::llama_forward(model, state, token, pos, logits);
        state->filled = pos + 1;
        return FN_OK;
    } catch (...) {
        return internal_error(fn);
    }
}

int fn_llama_state_destroy(fn_llama_state* state) {
    const char* fn = "fn_llama_state_destroy";
    try {
        if (state == nullptr) return FN_OK;
        const int status = check_state(fn, state);
        if (status != FN_OK) return status;
        const_cast<fn_llama*>(state->model)->live_states.fetch_sub(1, std::memory_order_acq_rel);
        state->magic = feednative::kDeadMagic;
        delete state;
        return FN_OK;
    } catch (...) {
        return internal_error(fn);
    }
}

int fn_llama_destroy(fn_llama* model) {
    const char* fn = "fn_llama_destroy";
    try {
        if (model == nullptr) return FN_OK;
        const int status = check_model(fn, model);
        if (status != FN_OK) return status;
        const int64_t states = model->live_states.load(std::memory_order_acquire);
        if (states != 0) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: %lld states of this model are still alive; destroy them first", fn,
                        static_cast<long long>(states));
        }
        model->magic = feednative::kDeadMagic;
        delete model;
        return FN_OK;
    } catch (...) {
        return internal_error(fn);
    }
}

int fn_matvec_q8(const int8_t* w, const float* w_scales, int32_t rows, int32_t groups, int32_t group_size,
                 const int8_t* x, const float* x_scales, float* out) {
    const char* fn = "fn_matvec_q8";
    try {
        if (w == nullptr || w_scales == nullptr || x == nullptr || x_scales == nullptr || out == nullptr) {
            return fail(FN_ERR_NULL_POINTER, "%s: w, w_scales, x, x_scales and out must not be NULL", fn);
        }
        const int status = check_group_operands(fn, w, rows, groups, group_size, x);
        if (status != FN_OK) return status;
        feednative::active_llama_kernels()->matvec_q8(w, w_scales, rows, groups, group_size, x, x_scales, out);
        return FN_OK;
    } catch (...) {
        return internal_error(fn);
    }
}

}  // extern "C"
