// Loading a llama2.c checkpoint: header and size validation, reading the tensors in file
// order, quantizing matrices to group-wise int8 (FN_LLAMA_Q8), and the RoPE tables.
// Baseline flags, -ffp-contract=off.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "boundary.h"
#include "llama_model.h"

namespace feednative {

void* Blocks::take(int64_t bytes) {
    const auto size = static_cast<size_t>(bytes < 64 ? 64 : (bytes + 63) / 64 * 64);
    void* p = ::operator new(size, std::align_val_t(64));
    std::memset(p, 0, size);
    blocks_.emplace_back(p);
    bytes_ += static_cast<int64_t>(size);
    return p;
}

void quantize_groups(const float* x, int32_t n, int32_t group_size, int32_t groups, int8_t* q, float* scales,
                     int64_t scale_stride) {
    // Round half to even by the 1.5 * 2^23 trick (exact for |v| < 2^22, here |v| <= 127.x): the
    // add rounds in the default rounding mode, and without -ffast-math the compiler keeps both
    // operations, so the loop vectorizes on the baseline ISA instead of calling nearbyintf.
    constexpr float kRound = 12582912.0f;
    for (int32_t g = 0; g < groups; ++g) {
        const int32_t from = g * group_size;
        const int32_t to = from + group_size < n ? from + group_size : n;
        // |x| compared as integers (same order for non-negative floats): an integer max reduction
        // vectorizes, a float one does not without -ffast-math.
        int32_t amax_bits = 0;
        for (int32_t i = from; i < to; ++i) {
            int32_t bits;
            std::memcpy(&bits, x + i, sizeof bits);
            bits &= 0x7FFFFFFF;
            amax_bits = bits > amax_bits ? bits : amax_bits;
        }
        float amax;
        std::memcpy(&amax, &amax_bits, sizeof amax);
        scales[g * scale_stride] = amax / 127.0f;
        const float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
        for (int32_t i = from; i < to; ++i) {
            float v = (x[i] * inv + kRound) - kRound;
            v = v > 127.0f ? 127.0f : (v < -127.0f ? -127.0f : v);
            q[i] = static_cast<int8_t>(v);
        }
        for (int32_t i = to; i < from + group_size; ++i) q[i] = 0;
    }
}

namespace {

constexpr int32_t kMaxWidth = 1 << 20;
constexpr int32_t kMaxLayers = 4096;

struct File {
    std::FILE* f = nullptr;
    ~File() {
        if (f != nullptr) std::fclose(f);
    }
};

int check_shape(const char* path, const int32_t h[7], LlamaShape* shape) {
    const char* names[7] = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
    for (int i = 0; i < 7; ++i) {
        const int64_t v = i == 5 ? (h[i] < 0 ? -static_cast<int64_t>(h[i]) : h[i]) : h[i];
        const int64_t limit = i == 2 ? kMaxLayers : kMaxWidth;
        if (v < 1 || v > limit) {
            return fail(FN_ERR_INVALID_ARGUMENT,
                        "fn_llama_load: %s: header field %s=%d is out of range (1..%lld%s); not a llama2.c checkpoint?",
                        path, names[i], h[i], static_cast<long long>(limit), i == 5 ? ", sign = classifier kind" : "");
        }
    }
    shape->dim = h[0];
    shape->hidden_dim = h[1];
    shape->n_layers = h[2];
    shape->n_heads = h[3];
    shape->n_kv_heads = h[4];
    shape->vocab_size = h[5] < 0 ? -h[5] : h[5];
    shape->seq_len = h[6];
    shape->shared_classifier = h[5] > 0;
    if (shape->dim % shape->n_heads != 0) {
        return fail(FN_ERR_INVALID_ARGUMENT, "fn_llama_load: %s: dim=%d is not divisible by n_heads=%d", path,
                    shape->dim, shape->n_heads);
    }
    if (shape->n_kv_heads > shape->n_heads || shape->n_heads % shape->n_kv_heads != 0) {
        return fail(FN_ERR_INVALID_ARGUMENT, "fn_llama_load: %s: n_heads=%d is not a multiple of n_kv_heads=%d", path,
                    shape->n_heads, shape->n_kv_heads);
    }
    if (shape->head_size() % 2 != 0) {
        return fail(FN_ERR_INVALID_ARGUMENT, "fn_llama_load: %s: head size %d is odd (rotary embedding needs pairs)",
                    path, shape->head_size());
    }
    return FN_OK;
}

// Floats the checkpoint holds after the header, the legacy RoPE tables included.
int64_t expected_floats(const LlamaShape& s) {
    const int64_t d = s.dim, h = s.hidden_dim, l = s.n_layers, kv = s.kv_dim(), v = s.vocab_size;
    int64_t n = v * d;                       // token embedding
    n += l * d;                              // rms_att
    n += l * d * d * 2 + l * kv * d * 2;     // wq, wo; wk, wv
    n += l * d;                              // rms_ffn
    n += l * h * d * 3;                      // w1, w2, w3
    n += d;                                  // rms_final
    n += static_cast<int64_t>(s.seq_len) * s.head_size();  // freq_cis_real + freq_cis_imag (skipped)
    if (!s.shared_classifier) n += v * d;
    return n;
}

class Reader {
public:
    Reader(std::FILE* f, const char* path, int32_t weights, int32_t group_size, fn_llama* model)
        : f_(f), path_(path), weights_(weights), group_size_(group_size), model_(model) {}

    // n floats of the tensor `name` into dst.
    int read_floats(const char* name, int32_t layer, float* dst, int64_t n) {
        if (std::fread(dst, sizeof(float), static_cast<size_t>(n), f_) != static_cast<size_t>(n)) {
            return fail(FN_ERR_INVALID_ARGUMENT, "fn_llama_load: %s: read of tensor %s failed: %s", path_, name,
                        std::ferror(f_) ? std::strerror(errno) : "unexpected end of file");
        }
        for (int64_t i = 0; i < n; ++i) {
            if (!std::isfinite(dst[i])) {
                return fail(FN_ERR_INVALID_ARGUMENT,
                            "fn_llama_load: %s: tensor %s (layer %d) element %lld is not finite; the file is corrupt",
                            path_, name, layer, static_cast<long long>(i));
            }
        }
        return FN_OK;
    }

    int vector(const char* name, int32_t layer, int32_t n, const float** out) {
        float* dst = model_->storage.take_array<float>(n);
        *out = dst;
        return read_floats(name, layer, dst, n);
    }

    // A rows x cols matrix, kept float or quantized per the weight mode.
    int matrix(const char* name, int32_t layer, int32_t rows, int32_t cols, Matrix* m) {
        m->rows = rows;
        m->cols = cols;
        const int64_t n = static_cast<int64_t>(rows) * cols;
        if (weights_ == FN_LLAMA_F32) {
            float* dst = model_->storage.take_array<float>(n);
            m->f = dst;
            return read_floats(name, layer, dst, n);
        }
        staging_.resize(static_cast<size_t>(n));
        const int status = read_floats(name, layer, staging_.data(), n);
        if (status != FN_OK) return status;
        m->groups = (cols + group_size_ - 1) / group_size_;
        const int64_t row_len = static_cast<int64_t>(m->groups) * group_size_;
        auto* q = model_->storage.take_array<int8_t>(rows * row_len);
        auto* scales = model_->storage.take_array<float>(static_cast<int64_t>(rows) * m->groups);
        for (int32_t r = 0; r < rows; ++r) {
            quantize_groups(staging_.data() + static_cast<int64_t>(r) * cols, cols, group_size_, m->groups,
                            q + r * row_len, scales + r, rows);
        }
        m->q = q;
        m->scales = scales;
        return FN_OK;
    }

    int skip(int64_t floats) {
        if (std::fseek(f_, static_cast<long>(floats * 4), SEEK_CUR) != 0) {
            return fail(FN_ERR_INVALID_ARGUMENT, "fn_llama_load: %s: seek past the RoPE tables failed: %s", path_,
                        std::strerror(errno));
        }
        return FN_OK;
    }

private:
    std::FILE* f_;
    const char* path_;
    int32_t weights_;
    int32_t group_size_;
    fn_llama* model_;
    std::vector<float> staging_;
};

#define FN_TRY(expr)                          \
    do {                                      \
        const int status_ = (expr);           \
        if (status_ != FN_OK) return status_; \
    } while (0)

int read_tensors(Reader& rd, fn_llama* m) {
    const LlamaShape& s = m->shape;
    const int32_t d = s.dim, h = s.hidden_dim, kv = s.kv_dim();
    m->layers.resize(static_cast<size_t>(s.n_layers));
    FN_TRY(rd.matrix("token_embedding", -1, s.vocab_size, d, &m->embedding));
    for (int32_t l = 0; l < s.n_layers; ++l) FN_TRY(rd.vector("rms_att_weight", l, d, &m->layers[l].rms_att));
    for (int32_t l = 0; l < s.n_layers; ++l) FN_TRY(rd.matrix("wq", l, d, d, &m->layers[l].wq));
    for (int32_t l = 0; l < s.n_layers; ++l) FN_TRY(rd.matrix("wk", l, kv, d, &m->layers[l].wk));
    for (int32_t l = 0; l < s.n_layers; ++l) FN_TRY(rd.matrix("wv", l, kv, d, &m->layers[l].wv));
    for (int32_t l = 0; l < s.n_layers; ++l) FN_TRY(rd.matrix("wo", l, d, d, &m->layers[l].wo));
    for (int32_t l = 0; l < s.n_layers; ++l) FN_TRY(rd.vector("rms_ffn_weight", l, d, &m->layers[l].rms_ffn));
    for (int32_t l = 0; l < s.n_layers; ++l) FN_TRY(rd.matrix("w1", l, h, d, &m->layers[l].w1));
    for (int32_t l = 0; l < s.n_layers; ++l) FN_TRY(rd.matrix("w2", l, d, h, &m->layers[l].w2));
    for (int32_t l = 0; l < s.n_layers; ++l) FN_TRY(rd.matrix("w3", l, h, d, &m->layers[l].w3));
    FN_TRY(rd.vector("rms_final_weight", -1, d, &m->rms_final));
    FN_TRY(rd.skip(static_cast<int64_t>(s.seq_len) * s.head_size()));
    if (s.shared_classifier) {
        m->classifier = m->embedding;
    } else {
        FN_TRY(rd.matrix("classifier", -1, s.vocab_size, d, &m->classifier));
    }
    return FN_OK;
}

// cos/sin of pos * 10000^(-2i/head_size) for every position and pair i (float, like llama2.c).
void build_rope(fn_llama* m) {
    const int32_t half = m->shape.head_size() / 2;
    const int64_t n = static_cast<int64_t>(m->shape.seq_len) * half;
    float* c = m->storage.take_array<float>(n);
    float* s = m->storage.take_array<float>(n);
    for (int32_t pos = 0; pos < m->shape.seq_len; ++pos) {
        for (int32_t i = 0; i < half; ++i) {
            const float freq = 1.0f / std::pow(10000.0f, static_cast<float>(2 * i) / static_cast<float>(2 * half));
            const float angle = static_cast<float>(pos) * freq;
            c[static_cast<int64_t>(pos) * half + i] = std::cos(angle);
            s[static_cast<int64_t>(pos) * half + i] = std::sin(angle);
        }
    }
    m->rope_cos = c;
    m->rope_sin = s;
}

}  // namespace

int load_llama(const char* path, int32_t weights, int32_t group_size, fn_llama* model) {
    File file;
    file.f = std::fopen(path, "rb");
    if (file.f == nullptr) {
        return fail(FN_ERR_INVALID_ARGUMENT, "fn_llama_load: cannot open %s: %s", path, std::strerror(errno));
    }
    if (std::fseek(file.f, 0, SEEK_END) != 0) {
        return fail(FN_ERR_INVALID_ARGUMENT, "fn_llama_load: %s: cannot seek: %s", path, std::strerror(errno));
    }
    const long size = std::ftell(file.f);
    std::rewind(file.f);
    int32_t header[7];
    if (size < static_cast<long>(sizeof header) || std::fread(header, sizeof header, 1, file.f) != 1) {
        return fail(FN_ERR_INVALID_ARGUMENT,
                    "fn_llama_load: %s has %ld bytes, shorter than the 28-byte llama2.c header (truncated?)", path,
                    size);
    }
    FN_TRY(check_shape(path, header, &model->shape));
    const int64_t expected = static_cast<int64_t>(sizeof header) + expected_floats(model->shape) * 4;
    if (static_cast<int64_t>(size) != expected) {
        return fail(FN_ERR_INVALID_ARGUMENT,
                    "fn_llama_load: %s has %ld bytes but its header (dim=%d hidden_dim=%d n_layers=%d n_heads=%d "
                    "n_kv_heads=%d vocab_size=%d seq_len=%d) describes %lld: %s",
                    path, size, header[0], header[1], header[2], header[3], header[4], header[5], header[6],
                    static_cast<long long>(expected),
                    static_cast<int64_t>(size) < expected ? "the file is truncated" : "unexpected trailing bytes");
    }
    model->weights = weights;
    model->group_size = weights == FN_LLAMA_Q8 ? group_size : 0;
    if (weights == FN_LLAMA_Q8) {
        const int32_t longest = model->shape.hidden_dim > model->shape.dim ? model->shape.hidden_dim : model->shape.dim;
        model->padded_max = (longest + group_size - 1) / group_size * group_size;
    }
    Reader reader(file.f, path, weights, model->group_size, model);
    FN_TRY(read_tensors(reader, model));
    build_rope(model);
    return FN_OK;
}

}  // namespace feednative
