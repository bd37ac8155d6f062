// The decoder step: RMSNorm, rotary embeddings on adjacent pairs, grouped-query attention
// over the state's KV cache, SwiGLU, and the classifier.  Matrix-vector products run on the
// current ISA path: the float dot kernel (FN_LLAMA_F32) or the group-wise int8 kernel with
// activations quantized per group on the fly (FN_LLAMA_Q8).  Everything else is plain float
// code.  Baseline flags, -ffp-contract=off.
#include <cmath>
#include <cstring>

#include "dispatch.h"
#include "llama_kernels.h"
#include "llama_model.h"

namespace feednative {

namespace {

constexpr float kRmsEps = 1e-5f;

void rmsnorm(float* out, const float* x, const float* weight, int32_t n) {
    float ss = 0.0f;
    for (int32_t i = 0; i < n; ++i) ss += x[i] * x[i];
    ss = ss / static_cast<float>(n) + kRmsEps;
    const float inv = 1.0f / std::sqrt(ss);
    for (int32_t i = 0; i < n; ++i) out[i] = weight[i] * (inv * x[i]);
}

// e^x in float, Cody-Waite reduction and the Cephes expf polynomial (about 1 ulp): written
// branch-free so that loops over it vectorize on the baseline ISA, where std::exp is a libm call
// per element (softmax over every cached position dominated a step).  Inputs are clamped to
// [-87.3, 88.7], where the result is a normal float.
inline float exp_approx(float x) {
    constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
    x = x > -87.3f ? x : -87.3f;  // (two selects, not a nested one: GCC vectorizes these)
    x = x < 88.7f ? x : 88.7f;
    const float k = (x * 1.44269504088896341f + kRound) - kRound;
    const float r = (x - k * 0.693359375f) - k * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    const int32_t bits = (static_cast<int32_t>(k) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

void softmax(float* x, int32_t n) {
    float max = x[0];
    for (int32_t i = 1; i < n; ++i) max = x[i] > max ? x[i] : max;
    for (int32_t i = 0; i < n; ++i) x[i] = exp_approx(x[i] - max);
    float sum = 0.0f;
    for (int32_t i = 0; i < n; ++i) sum += x[i];
    const float inv = 1.0f / sum;
    for (int32_t i = 0; i < n; ++i) x[i] *= inv;
}

// out[i] = sum_t att[t] * v[t * stride + i] for i < width: eight lanes at a time in locals the
// compiler keeps in registers, even and odd positions in separate accumulators (accumulating in
// out[] made every position wait on the previous one's store).
void weighted_sum(const float* att, const float* v, int64_t stride, int32_t n, int32_t width, float* out) {
    int32_t i0 = 0;
    for (; i0 + 8 <= width; i0 += 8) {
        float even[8] = {}, odd[8] = {};
        int32_t t = 0;
        for (; t + 2 <= n; t += 2) {
            const float* v0 = v + t * stride + i0;
            const float* v1 = v0 + stride;
            const float w0 = att[t], w1 = att[t + 1];
            for (int j = 0; j < 8; ++j) {
                even[j] += w0 * v0[j];
                odd[j] += w1 * v1[j];
            }
        }
        if (t < n) {
            const float* v0 = v + t * stride + i0;
            for (int j = 0; j < 8; ++j) even[j] += att[t] * v0[j];
        }
        for (int j = 0; j < 8; ++j) out[i0 + j] = even[j] + odd[j];
    }
    for (; i0 < width; ++i0) {
        float acc = 0.0f;
        for (int32_t t = 0; t < n; ++t) acc += att[t] * v[t * stride + i0];
        out[i0] = acc;
    }
}

// Matrix-vector products of one step.  In Q8 mode an input vector is quantized once by
// prepare() and reused by every matrix that reads it (wq, wk and wv share one).
class Matmul {
public:
    Matmul(const fn_llama* model, fn_llama_state* state)
        : model_(model), state_(state), dense_(active_kernels()), q8_(active_llama_kernels()) {}

    void prepare(const float* x, int32_t n) {
        if (model_->weights != FN_LLAMA_Q8) {
            x_ = x;
            return;
        }
        const int32_t groups = (n + model_->group_size - 1) / model_->group_size;
        quantize_groups(x, n, model_->group_size, groups, state_->xq, state_->xs, 1);
    }

    void run(const Matrix& m, float* out) const {
        if (model_->weights == FN_LLAMA_Q8) {
            q8_->matvec_q8(m.q, m.scales, m.rows, m.groups, model_->group_size, state_->xq, state_->xs, out);
        } else {
            dense_->dot_f32(m.f, m.rows, m.cols, x_, m.cols, out);
        }
    }

private:
    const fn_llama* model_;
    fn_llama_state* state_;
    const KernelTable* dense_;
    const LlamaKernels* q8_;
    const float* x_ = nullptr;
};

void embed(const fn_llama* model, int32_t token, float* x) {
    const Matrix& e = model->embedding;
    if (model->weights != FN_LLAMA_Q8) {
        std::memcpy(x, e.f + static_cast<int64_t>(token) * e.cols, static_cast<size_t>(e.cols) * sizeof(float));
        return;
    }
    const int8_t* row = e.q + static_cast<int64_t>(token) * e.groups * model->group_size;
    for (int32_t i = 0; i < e.cols; ++i) {
        x[i] = static_cast<float>(row[i]) * e.scales[static_cast<int64_t>(i / model->group_size) * e.rows + token];
    }
}

// Rotates adjacent pairs (v[2i], v[2i+1]) of every head in v[0..n) by pos's angles.
void rope(const fn_llama* model, float* v, int32_t n, int32_t pos) {
    const int32_t half = model->shape.head_size() / 2;
    const float* c = model->rope_cos + static_cast<int64_t>(pos) * half;
    const float* s = model->rope_sin + static_cast<int64_t>(pos) * half;
    for (int32_t i = 0; i < n; i += 2) {
        const int32_t j = (i % (2 * half)) / 2;
        const float a = v[i], b = v[i + 1];
        v[i] = a * c[j] - b * s[j];
        v[i + 1] = a * s[j] + b * c[j];
    }
}

void attention(const fn_llama* model, fn_llama_state* st, int32_t layer, int32_t pos, const LlamaKernels* kernels) {
    const LlamaShape& s = model->shape;
    const int32_t hs = s.head_size(), kv_dim = s.kv_dim(), share = s.n_heads / s.n_kv_heads;
    const int64_t layer_at = static_cast<int64_t>(layer) * st->max_seq * kv_dim;
    const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
    for (int32_t h = 0; h < s.n_heads; ++h) {
        const float* q = st->q + h * hs;
        float* att = st->att + static_cast<int64_t>(h) * st->max_seq;
        const int64_t head_at = layer_at + static_cast<int64_t>(h / share) * hs;
        kernels->scores(st->key_cache + head_at, pos + 1, kv_dim, q, hs, scale, att);
        softmax(att, pos + 1);
        weighted_sum(att, st->value_cache + head_at, kv_dim, pos + 1, hs, st->xb + h * hs);
    }
}

}  // namespace

int64_t llama_state_bytes(const fn_llama* model, int32_t max_seq) {
    const LlamaShape& s = model->shape;
    auto rounded = [](int64_t bytes) { return bytes < 64 ? 64 : (bytes + 63) / 64 * 64; };
    const int64_t f = 4;
    int64_t total = 0;
    total += rounded(s.dim * f) * 4;                                        // x, xb, xb2, q
    total += rounded(s.hidden_dim * f) * 2;                                 // hb, hb2
    total += rounded(static_cast<int64_t>(s.n_heads) * max_seq * f);        // att
    total += rounded(static_cast<int64_t>(s.n_layers) * max_seq * s.kv_dim() * f) * 2;  // key, value caches
    if (model->weights == FN_LLAMA_Q8) {
        total += rounded(model->padded_max);                                       // xq
        total += rounded(static_cast<int64_t>(model->padded_max / model->group_size) * f);  // xs
    }
    return total;
}

void init_llama_state(const fn_llama* model, int32_t max_seq, fn_llama_state* st) {
    const LlamaShape& s = model->shape;
    st->model = model;
    st->max_seq = max_seq;
    Blocks& b = st->storage;
    st->x = b.take_array<float>(s.dim);
    st->xb = b.take_array<float>(s.dim);
    st->xb2 = b.take_array<float>(s.dim);
    st->q = b.take_array<float>(s.dim);
    st->hb = b.take_array<float>(s.hidden_dim);
    st->hb2 = b.take_array<float>(s.hidden_dim);
    st->att = b.take_array<float>(static_cast<int64_t>(s.n_heads) * max_seq);
    const int64_t cache = static_cast<int64_t>(s.n_layers) * max_seq * s.kv_dim();
    st->key_cache = b.take_array<float>(cache);
    st->value_cache = b.take_array<float>(cache);
    if (model->weights == FN_LLAMA_Q8) {
        st->xq = b.take_array<int8_t>(model->padded_max);
        st->xs = b.take_array<float>(model->padded_max / model->group_size);
    }
}

void llama_forward(const fn_llama* model, fn_llama_state* st, int32_t token, int32_t pos, float* logits) {
    const LlamaShape& s = model->shape;
    const int32_t d = s.dim, kv_dim = s.kv_dim(), h = s.hidden_dim;
    Matmul mm(model, st);
    const LlamaKernels* kernels = active_llama_kernels();  // one path for the whole step
    float* x = st->x;
    embed(model, token, x);
    for (int32_t l = 0; l < s.n_layers; ++l) {
        const LlamaLayer& w = model->layers[static_cast<size_t>(l)];
        const int64_t slot = (static_cast<int64_t>(l) * st->max_seq + pos) * kv_dim;
        float* k = st->key_cache + slot;
        float* v = st->value_cache + slot;

        rmsnorm(st->xb, x, w.rms_att, d);
        mm.prepare(st->xb, d);
        mm.run(w.wq, st->q);
        mm.run(w.wk, k);
        mm.run(w.wv, v);
        rope(model, st->q, d, pos);
        rope(model, k, kv_dim, pos);
        attention(model, st, l, pos, kernels);
        mm.prepare(st->xb, d);
        mm.run(w.wo, st->xb2);
        for (int32_t i = 0; i < d; ++i) x[i] += st->xb2[i];

        rmsnorm(st->xb, x, w.rms_ffn, d);
        mm.prepare(st->xb, d);
        mm.run(w.w1, st->hb);
        mm.run(w.w3, st->hb2);
        for (int32_t i = 0; i < h; ++i) {
            const float a = st->hb[i];
            st->hb[i] = a * (1.0f / (1.0f + exp_approx(-a))) * st->hb2[i];
        }
        mm.prepare(st->hb, h);
        mm.run(w.w2, st->xb);
        for (int32_t i = 0; i < d; ++i) x[i] += st->xb[i];
    }
    rmsnorm(x, x, model->rms_final, d);
    mm.prepare(x, d);
    mm.run(model->classifier, logits);
}

}  // namespace feednative
