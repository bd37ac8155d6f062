// Exported quantized MLP: model creation (per-output-channel int8 weights, packed once),
// scratch sizing, and the forward pass (per-row dynamic int8 activations, the int8 GEMM of
// the current ISA path with a fused F32 epilogue; optionally a per-row addend to layer 0, given
// or gathered from a table).  Baseline flags, -ffp-contract=off.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "boundary.h"
#include "feed_native.h"
#include "gemm.h"

namespace {

constexpr uint64_t kMlpMagic = 0x504C4D2D4E464546ull;  // "FEFN-MLP"
constexpr uint64_t kMlpDead = 0xDEADDEADDEADDEADull;

// Rows per forward block: the block's quantized input, its scales and every layer's float
// output stay in L2 (1024 -> 256 -> 128 -> 8 at 96 rows: 96 KiB + 96 + 48 + 6 KiB).
constexpr int64_t kRowBlock = 96;
constexpr int64_t kAlign = 64;

int64_t round_up(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

struct Layer {
    int32_t in;
    int32_t out;
    int32_t activation;
    int32_t input_layer;
    int64_t out_ld;  // floats between rows of this layer's output block in scratch
    feednative::PackedView view;
    const float* weight_scale;  // out
    const float* bias;          // out, or null
};

}  // namespace

struct fn_mlp {
    uint64_t magic = kMlpMagic;
    int32_t in_dim = 0;
    int32_t out_dim = 0;
    int32_t max_in = 0;
    int64_t weight_bytes = 0;
    std::vector<Layer> layers;
    std::vector<int32_t> outputs;
    std::vector<int32_t> output_offsets;
    std::vector<unsigned char> storage;  // packed blobs, then scales and biases (64-aligned)
};

namespace {

using feednative::fail;
using feednative::internal_error;

// Scratch layout for a block of `rows` rows, in bytes from the 64-aligned scratch start:
// the quantized block input (rows x q_ld int8), its row scales, then each layer's float
// output block (rows x out_ld) in layer order.
struct ScratchLayout {
    int64_t q_offset, q_ld;
    int64_t scale_offset;
    int64_t layer0_offset;
    int64_t total;  // bytes needed, including the slack to align an arbitrary scratch pointer
};

int64_t layer_block_bytes(const Layer& layer, int64_t rows) {
    return round_up(rows * layer.out_ld * static_cast<int64_t>(sizeof(float)), kAlign);
}

ScratchLayout layout_for(const fn_mlp* model, int64_t rows) {
    ScratchLayout s{};
    s.q_ld = round_up(model->max_in, kAlign);
    s.q_offset = 0;
    s.scale_offset = round_up(rows * s.q_ld, kAlign);
    s.layer0_offset = s.scale_offset + round_up(rows * static_cast<int64_t>(sizeof(float)), kAlign);
    int64_t at = s.layer0_offset;
    for (const Layer& layer : model->layers) at += layer_block_bytes(layer, rows);
    s.total = at + kAlign;
    return s;
}

bool live(const fn_mlp* model) { return model->magic == kMlpMagic; }

int check_model(const char* fn, const fn_mlp* model) {
    if (model == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: model is NULL", fn);
    if (!live(model)) return fail(FN_ERR_INVALID_ARGUMENT, "%s: model is not a live fn_mlp handle (destroyed?)", fn);
    return FN_OK;
}

int first_non_finite(const float* v, int64_t n, int64_t* at) {
    for (int64_t i = 0; i < n; ++i) {
        float x;
        std::memcpy(&x, v + i, sizeof x);
        if (!std::isfinite(x)) {
            *at = i;
            return 1;
        }
    }
    return 0;
}

int create(const fn_layer_spec* specs, int32_t n_layers, const int32_t* output_layers, int32_t n_outputs,
           fn_mlp** out_model) {
    const char* fn = "fn_mlp_create";
    if (out_model == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out_model is NULL", fn);
    *out_model = nullptr;
    if (specs == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: layers is NULL", fn);
    if (output_layers == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: output_layers is NULL", fn);
    if (n_layers < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: n_layers must be >= 1 (got %d)", fn, n_layers);
    if (n_outputs < 1) return fail(FN_ERR_INVALID_ARGUMENT, "%s: n_outputs must be >= 1 (got %d)", fn, n_outputs);

    auto model = std::make_unique<fn_mlp>();
    int32_t input_set_by = -1;
    int64_t storage = 0;
    std::vector<int64_t> blob_at(static_cast<size_t>(n_layers)), scale_at(static_cast<size_t>(n_layers)),
        bias_at(static_cast<size_t>(n_layers));
    for (int32_t i = 0; i < n_layers; ++i) {
        const fn_layer_spec& s = specs[i];
        if (s.in < 1 || s.out < 1) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: layer %d: in and out must be >= 1 (got in=%d, out=%d)", fn, i,
                        s.in, s.out);
        }
        if (s.weights == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: layer %d: weights is NULL", fn, i);
        if (s.activation < FN_ACT_NONE || s.activation > FN_ACT_GELU) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: layer %d: activation must be FN_ACT_NONE..FN_ACT_GELU (got %d)",
                        fn, i, s.activation);
        }
        if (s.input_layer < -1 || s.input_layer >= i) {
            return fail(FN_ERR_INVALID_ARGUMENT,
                        "%s: layer %d: input_layer must be -1 (the model input) or an earlier layer 0..%d (got %d)", fn,
                        i, i - 1, s.input_layer);
        }
        if (s.input_layer == -1) {
            if (input_set_by < 0) {
                model->in_dim = s.in;
                input_set_by = i;
            } else if (s.in != model->in_dim) {
                return fail(FN_ERR_INVALID_ARGUMENT,
                            "%s: layer %d: in=%d but the model input width is %d (set by layer %d)", fn, i, s.in,
                            model->in_dim, input_set_by);
            }
        } else if (s.in != specs[s.input_layer].out) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: layer %d: in=%d but its input, layer %d, has out=%d", fn, i, s.in,
                        s.input_layer, specs[s.input_layer].out);
        }
        int64_t bad;
        if (first_non_finite(s.weights, static_cast<int64_t>(s.in) * s.out, &bad)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: layer %d: weights[%lld] is not finite", fn, i,
                        static_cast<long long>(bad));
        }
        if (s.bias != nullptr && first_non_finite(s.bias, s.out, &bad)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: layer %d: bias[%lld] is not finite", fn, i,
                        static_cast<long long>(bad));
        }
        blob_at[i] = storage;
        const int64_t blob = feednative::packed_bytes(s.out, s.in);
        model->weight_bytes += blob;
        storage += round_up(blob, kAlign);
        scale_at[i] = storage;
        storage += round_up(static_cast<int64_t>(s.out) * 4, kAlign);
        bias_at[i] = storage;
        if (s.bias != nullptr) storage += round_up(static_cast<int64_t>(s.out) * 4, kAlign);
        if (s.in > model->max_in) model->max_in = s.in;
    }
    int64_t out_dim = 0;
    for (int32_t o = 0; o < n_outputs; ++o) {
        const int32_t l = output_layers[o];
        if (l < 0 || l >= n_layers) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: output_layers[%d] must be a layer index 0..%d (got %d)", fn, o,
                        n_layers - 1, l);
        }
        model->outputs.push_back(l);
        model->output_offsets.push_back(static_cast<int32_t>(out_dim));
        out_dim += specs[l].out;
        if (out_dim > INT32_MAX) return fail(FN_ERR_INVALID_ARGUMENT, "%s: total output width overflows int32", fn);
    }
    model->out_dim = static_cast<int32_t>(out_dim);

    model->storage.resize(static_cast<size_t>(storage + kAlign));
    unsigned char* base = model->storage.data();
    base += (kAlign - reinterpret_cast<uintptr_t>(base) % kAlign) % kAlign;
    std::vector<int8_t> q;
    for (int32_t i = 0; i < n_layers; ++i) {
        const fn_layer_spec& s = specs[i];
        q.resize(static_cast<size_t>(s.in) * s.out);
        auto* scales = reinterpret_cast<float*>(base + scale_at[i]);
        // Per output channel: scale = absmax / 127, q = rne(clamp(w / scale)) -- the scalar row
        // quantizer (the same on every path), so model creation does not depend on the ISA.
        feednative::kGemmScalar.quantize_rows(s.weights, s.out, s.in, s.in, q.data(), s.in, scales);
        unsigned char* blob = base + blob_at[i];
        feednative::pack_weights(q.data(), s.out, s.in, s.in, blob);
        Layer layer{};
        layer.in = s.in;
        layer.out = s.out;
        layer.activation = s.activation;
        layer.input_layer = s.input_layer;
        layer.out_ld = round_up(s.out, 16);
        if (feednative::open_packed(fn, blob, s.out, s.in, &layer.view) != FN_OK) {
            return fail(FN_ERR_INTERNAL, "%s: internal error: freshly packed layer %d does not validate", fn, i);
        }
        layer.weight_scale = scales;
        if (s.bias != nullptr) {
            auto* bias = reinterpret_cast<float*>(base + bias_at[i]);
            std::memcpy(bias, s.bias, static_cast<size_t>(s.out) * sizeof(float));
            layer.bias = bias;
        }
        model->layers.push_back(layer);
    }
    *out_model = model.release();
    return FN_OK;
}

// What layer 0 adds to its pre-activation before the activation: nothing (rows == null),
// one row per input row (fn_mlp_forward_add), or a gathered table row plus a shared row
// (fn_mlp_forward_gather: index != null, rows is the table).
struct Addend {
    const float* rows = nullptr;
    int64_t ld = 0;
    const int32_t* index = nullptr;
    const float* shared = nullptr;
};

const int64_t kMaxFloats = static_cast<int64_t>(PTRDIFF_MAX / sizeof(float));

// Whether rows rows of width floats, ld apart (ld >= width >= 1), stay addressable.
bool extent_fits(int64_t rows, int64_t width, int64_t ld) {
    return rows <= 1 || rows - 1 <= (kMaxFloats - width) / ld;
}

// The checks every forward makes first: the handle, rows, the pointers and leading dimensions.
int check_io(const char* fn, const fn_mlp* model, const float* x, int64_t rows, int64_t ldx, const void* scratch,
             const float* out, int64_t ldo) {
    int status = check_model(fn, model);
    if (status != FN_OK) return status;
    if (rows < 0) return fail(FN_ERR_INVALID_ARGUMENT, "%s: rows must be >= 0 (got %lld)", fn, static_cast<long long>(rows));
    if (x == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: x is NULL", fn);
    if (out == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: out is NULL", fn);
    if (scratch == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: scratch is NULL", fn);
    if (ldx < model->in_dim) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: ldx must be >= in_dim=%d (got %lld)", fn, model->in_dim,
                    static_cast<long long>(ldx));
    }
    if (ldo < model->out_dim) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: ldo must be >= out_dim=%d (got %lld)", fn, model->out_dim,
                    static_cast<long long>(ldo));
    }
    return FN_OK;
}

int check_scratch(const char* fn, const fn_mlp* model, int64_t rows, int64_t scratch_bytes, ScratchLayout* need) {
    *need = layout_for(model, rows < kRowBlock ? rows : kRowBlock);
    if (scratch_bytes < need->total) {
        return fail(FN_ERR_INVALID_ARGUMENT,
                    "%s: scratch_bytes=%lld but %lld rows need %lld (fn_mlp_scratch_size)", fn,
                    static_cast<long long>(scratch_bytes), static_cast<long long>(rows),
                    static_cast<long long>(need->total));
    }
    return FN_OK;
}

// A prefetcht1 the compiler cannot drop: GCC 12 deleted every __builtin_prefetch of the loop
// below at -O1 and up once it had two of them.
inline void prefetch_l2(const float* p) {
    asm volatile("prefetcht1 %0" : : "m"(*reinterpret_cast<const char*>(p)));
}

// Hints table rows index[from .. from + n) of a gather into L2.  Random rows of a large table
// come from DRAM and the hardware prefetcher cannot guess them; asked for one block ahead, they
// arrive while the rest of the current block computes (docs/native.md has the figures).  Every
// index here has been checked.
void prefetch_table_rows(const Addend& addend, int64_t from, int64_t n, int32_t width) {
    for (int64_t i = 0; i < n; ++i) {
        int32_t at;
        std::memcpy(&at, addend.index + from + i, sizeof at);
        const float* row = addend.rows + at * addend.ld;
        for (int32_t j = 0; j < width; j += 16) prefetch_l2(row + j);
        prefetch_l2(row + width - 1);  // (a row need not start on a cache line)
    }
}

// The forward itself, arguments checked, rows >= 1.
void run(const fn_mlp* model, const float* x, int64_t rows, int64_t ldx, const Addend& addend, void* scratch,
         const ScratchLayout& need, float* out, int64_t ldo) {
    const int64_t block = rows < kRowBlock ? rows : kRowBlock;
    auto* base = static_cast<unsigned char*>(scratch);
    base += (kAlign - reinterpret_cast<uintptr_t>(base) % kAlign) % kAlign;
    auto* q = reinterpret_cast<int8_t*>(base + need.q_offset);
    auto* row_scale = reinterpret_cast<float*>(base + need.scale_offset);
    const size_t n_layers = model->layers.size();
    auto layer_block = [&](size_t l) {  // (no allocation: walk the few layers each time)
        int64_t at = need.layer0_offset;
        for (size_t i = 0; i < l; ++i) at += layer_block_bytes(model->layers[i], block);
        return reinterpret_cast<float*>(base + at);
    };

    const feednative::GemmKernels* kernels = feednative::active_gemm_kernels();  // one path per call
    const bool gather = addend.index != nullptr;
    if (gather) prefetch_table_rows(addend, 0, block, model->layers[0].out);
    for (int64_t r0 = 0; r0 < rows; r0 += block) {
        const int64_t rb = rows - r0 < block ? rows - r0 : block;
        int32_t quantized = INT32_MIN;  // which layer's output (-1: the input) q holds
        for (size_t l = 0; l < n_layers; ++l) {
            const Layer& layer = model->layers[l];
            if (layer.input_layer != quantized) {
                if (layer.input_layer < 0) {
                    kernels->quantize_rows(x + r0 * ldx, rb, ldx, layer.in, q, need.q_ld, row_scale);
                } else {
                    const Layer& src = model->layers[static_cast<size_t>(layer.input_layer)];
                    kernels->quantize_rows(layer_block(static_cast<size_t>(layer.input_layer)), rb, src.out_ld,
                                           layer.in, q, need.q_ld, row_scale);
                }
                quantized = layer.input_layer;
            }
            // With an addend, layer 0's epilogue stops before the activation; the addend (and the
            // shared row) and the activation follow in place over the block, so
            // y = ((epilogue y) + addend) + shared, then act.
            const bool add = l == 0 && addend.rows != nullptr;
            const int32_t activation = add ? static_cast<int32_t>(FN_ACT_NONE) : layer.activation;
            const feednative::GemmEpilogue ep{row_scale, layer.weight_scale, layer.bias, activation, FN_OUT_F32, 0.0f, 0};
            float* y = layer_block(l);
            kernels->gemm_s8(reinterpret_cast<const uint8_t*>(q), rb, need.q_ld, 0, 1, &layer.view, &ep, y,
                             layer.out_ld);
            if (add) {
                kernels->add_activate_rows(y, rb, layer.out, layer.out_ld,
                                           gather ? addend.rows : addend.rows + r0 * addend.ld, addend.ld,
                                           gather ? addend.index + r0 : nullptr, addend.shared, layer.activation);
                const int64_t next = r0 + rb;
                if (gather && next < rows) {
                    prefetch_table_rows(addend, next, rows - next < block ? rows - next : block, layer.out);
                }
            }
        }
        for (size_t o = 0; o < model->outputs.size(); ++o) {
            const Layer& layer = model->layers[static_cast<size_t>(model->outputs[o])];
            const float* src = layer_block(static_cast<size_t>(model->outputs[o]));
            for (int64_t i = 0; i < rb; ++i) {
                std::memcpy(out + (r0 + i) * ldo + model->output_offsets[o], src + i * layer.out_ld,
                            static_cast<size_t>(layer.out) * sizeof(float));
            }
        }
    }
}

// fn_mlp_forward (addend == null) and fn_mlp_forward_add; `fn` names the export in messages.
int forward(const char* fn, const fn_mlp* model, const float* x, int64_t rows, int64_t ldx, const float* addend,
            int64_t ld_add, void* scratch, int64_t scratch_bytes, float* out, int64_t ldo) {
    int status = check_io(fn, model, x, rows, ldx, scratch, out, ldo);
    if (status != FN_OK) return status;
    const int32_t add_dim = model->layers[0].out;  // layer 0 always reads the model input
    if (addend != nullptr && ld_add < add_dim) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: ld_add must be >= layer 0's out=%d (got %lld)", fn, add_dim,
                    static_cast<long long>(ld_add));
    }
    if (!extent_fits(rows, model->in_dim, ldx) || !extent_fits(rows, model->out_dim, ldo) ||
        (addend != nullptr && !extent_fits(rows, add_dim, ld_add))) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: extent of x, addend or out overflows (rows=%lld)", fn,
                    static_cast<long long>(rows));
    }
    ScratchLayout need;
    status = check_scratch(fn, model, rows, scratch_bytes, &need);
    if (status != FN_OK || rows == 0) return status;
    run(model, x, rows, ldx, Addend{addend, ld_add, nullptr, nullptr}, scratch, need, out, ldo);
    return FN_OK;
}

int forward_gather(const fn_mlp* model, const float* x, int64_t rows, int64_t ldx, const float* table,
                   int64_t ld_table, int64_t table_rows, const int32_t* index, const float* shared, void* scratch,
                   int64_t scratch_bytes, float* out, int64_t ldo) {
    const char* fn = "fn_mlp_forward_gather";
    int status = check_io(fn, model, x, rows, ldx, scratch, out, ldo);
    if (status != FN_OK) return status;
    if (table == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: table is NULL", fn);
    if (index == nullptr) return fail(FN_ERR_NULL_POINTER, "%s: index is NULL", fn);
    const int32_t add_dim = model->layers[0].out;
    if (ld_table < add_dim) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: ld_table must be >= layer 0's out=%d (got %lld)", fn, add_dim,
                    static_cast<long long>(ld_table));
    }
    if (table_rows < 1) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: table_rows must be >= 1 (got %lld)", fn,
                    static_cast<long long>(table_rows));
    }
    if (!extent_fits(rows, model->in_dim, ldx) || !extent_fits(rows, model->out_dim, ldo)) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: extent of x or out overflows (rows=%lld)", fn,
                    static_cast<long long>(rows));
    }
    if (!extent_fits(table_rows, add_dim, ld_table)) {
        return fail(FN_ERR_INVALID_ARGUMENT, "%s: extent of table overflows (table_rows=%lld, ld_table=%lld)", fn,
                    static_cast<long long>(table_rows), static_cast<long long>(ld_table));
    }
    ScratchLayout need;
    status = check_scratch(fn, model, rows, scratch_bytes, &need);
    if (status != FN_OK) return status;
    for (int64_t r = 0; r < rows; ++r) {  // all of them before any work: a bad one computes nothing
        int32_t at;
        std::memcpy(&at, index + r, sizeof at);  // (Java passes any alignment)
        if (at < 0 || at >= table_rows) {
            return fail(FN_ERR_INVALID_ARGUMENT, "%s: index[%lld]=%d is out of range 0..%lld (table_rows=%lld)", fn,
                        static_cast<long long>(r), at, static_cast<long long>(table_rows - 1),
                        static_cast<long long>(table_rows));
        }
    }
    if (rows == 0) return FN_OK;
    run(model, x, rows, ldx, Addend{table, ld_table, index, shared}, scratch, need, out, ldo);
    return FN_OK;
}

}  // namespace

extern "C" {

int fn_mlp_create(const fn_layer_spec* layers, int32_t n_layers, const int32_t* output_layers, int32_t n_outputs,
                  fn_mlp** out_model) {
    try {
        return create(layers, n_layers, output_layers, n_outputs, out_model);
    } catch (const std::bad_alloc&) {
        return fail(FN_ERR_INTERNAL, "fn_mlp_create: out of memory");
    } catch (...) {
        return internal_error("fn_mlp_create");
    }
}

int fn_mlp_shape(const fn_mlp* model, int32_t* in_dim, int32_t* out_dim, int64_t* weight_bytes) {
    try {
        const int status = check_model("fn_mlp_shape", model);
        if (status != FN_OK) return status;
        if (in_dim == nullptr || out_dim == nullptr || weight_bytes == nullptr) {
            return fail(FN_ERR_NULL_POINTER, "fn_mlp_shape: in_dim, out_dim and weight_bytes must not be NULL");
        }
        *in_dim = model->in_dim;
        *out_dim = model->out_dim;
        *weight_bytes = model->weight_bytes;
        return FN_OK;
    } catch (...) {
        return internal_error("fn_mlp_shape");
    }
}

int fn_mlp_scratch_size(const fn_mlp* model, int64_t max_rows, int64_t* out_bytes) {
    try {
        const int status = check_model("fn_mlp_scratch_size", model);
        if (status != FN_OK) return status;
        if (out_bytes == nullptr) return fail(FN_ERR_NULL_POINTER, "fn_mlp_scratch_size: out_bytes is NULL");
        if (max_rows < 0) {
            return fail(FN_ERR_INVALID_ARGUMENT, "fn_mlp_scratch_size: max_rows must be >= 0 (got %lld)",
                        static_cast<long long>(max_rows));
        }
        *out_bytes = layout_for(model, max_rows < kRowBlock ? max_rows : kRowBlock).total;
        return FN_OK;
    } catch (...) {
        return internal_error("fn_mlp_scratch_size");
    }
}

int fn_mlp_forward(const fn_mlp* model, const float* x, int64_t rows, int64_t ldx, void* scratch,
                   int64_t scratch_bytes, float* out, int64_t ldo) {
    try {
        return forward("fn_mlp_forward", model, x, rows, ldx, nullptr, 0, scratch, scratch_bytes, out, ldo);
    } catch (...) {
        return internal_error("fn_mlp_forward");
    }
}

int fn_mlp_forward_add(const fn_mlp* model, const float* x, int64_t rows, int64_t ldx, const float* addend,
                       int64_t ld_add, void* scratch, int64_t scratch_bytes, float* out, int64_t ldo) {
    try {
        return forward("fn_mlp_forward_add", model, x, rows, ldx, addend, ld_add, scratch, scratch_bytes, out, ldo);
    } catch (...) {
        return internal_error("fn_mlp_forward_add");
    }
}

int fn_mlp_forward_gather(const fn_mlp* model, const float* x, int64_t rows, int64_t ldx, const float* table,
                          int64_t ld_table, int64_t table_rows, const int32_t* index, const float* shared,
                          void* scratch, int64_t scratch_bytes, float* out, int64_t ldo) {
    try {
        return forward_gather(model, x, rows, ldx, table, ld_table, table_rows, index, shared, scratch, scratch_bytes,
                              out, ldo);
    } catch (...) {
        return internal_error("fn_mlp_forward_gather");
    }
}

int fn_mlp_destroy(fn_mlp* model) {
    try {
        if (model == nullptr) return FN_OK;
        if (!live(model)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "fn_mlp_destroy: model is not a live fn_mlp handle (destroyed twice?)");
        }
        model->magic = kMlpDead;
        delete model;
        return FN_OK;
    } catch (...) {
        return internal_error("fn_mlp_destroy");
    }
}

}  // extern "C"
