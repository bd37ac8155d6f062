// Internal layout of a loaded Llama model (fn_llama) and of one generation's state
// (fn_llama_state).  Baseline translation units only.
#ifndef FEED_NATIVE_LLAMA_MODEL_H
#define FEED_NATIVE_LLAMA_MODEL_H

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "feed_native.h"

namespace feednative {

// 64-byte-aligned blocks owned together; `bytes` is what they hold, the measured footprint.
class Blocks {
public:
    void* take(int64_t bytes);
    template <typename T>
    T* take_array(int64_t count) {
        return static_cast<T*>(take(count * static_cast<int64_t>(sizeof(T))));
    }
    int64_t bytes() const { return bytes_; }

private:
    struct Free {
        void operator()(void* p) const { ::operator delete(p, std::align_val_t(64)); }
    };
    std::vector<std::unique_ptr<void, Free>> blocks_;
    int64_t bytes_ = 0;
};

struct LlamaShape {
    int32_t dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len;
    bool shared_classifier;
    int32_t head_size() const { return dim / n_heads; }
    int32_t kv_dim() const { return dim / n_heads * n_kv_heads; }
};

// rows x cols weights: float rows (F32 mode) or int8 rows of groups * group_size values,
// zero-padded past cols, with group-major scales (Q8 mode; layout in llama_kernels.h).
struct Matrix {
    int32_t rows = 0;
    int32_t cols = 0;
    int32_t groups = 0;
    const float* f = nullptr;
    const int8_t* q = nullptr;
    const float* scales = nullptr;
};

struct LlamaLayer {
    const float* rms_att;
    Matrix wq, wk, wv, wo;
    const float* rms_ffn;
    Matrix w1, w2, w3;
};

constexpr uint64_t kLlamaMagic = 0x414D414C4C2D4E46ull;  // "FN-LLAMA"
constexpr uint64_t kLlamaStateMagic = 0x4554415453414C46ull;
constexpr uint64_t kDeadMagic = 0xDEADDEADDEADDEADull;

constexpr int32_t kDefaultGroupSize = 64;  // as llama2.c's runq.c
constexpr int32_t kMaxGroupSize = 1024;

}  // namespace feednative

struct fn_llama {
    uint64_t magic = feednative::kLlamaMagic;
    feednative::LlamaShape shape{};
    int32_t weights = FN_LLAMA_F32;
    int32_t group_size = 0;      // Q8 only
    int32_t padded_max = 0;      // Q8: the longest row (dim or hidden_dim) rounded up to group_size
    std::vector<feednative::LlamaLayer> layers;
    feednative::Matrix embedding;  // token embedding [vocab, dim]; read by row
    feednative::Matrix classifier; // [vocab, dim]; the embedding itself when shared
    const float* rms_final = nullptr;
    const float* rope_cos = nullptr;  // [seq_len][head_size / 2]
    const float* rope_sin = nullptr;
    feednative::Blocks storage;
    std::atomic<int64_t> live_states{0};
};

struct fn_llama_state {
    uint64_t magic = feednative::kLlamaStateMagic;
    const fn_llama* model = nullptr;
    int32_t max_seq = 0;
    int32_t filled = 0;               // positions 0..filled-1 hold keys and values
    std::atomic<int32_t> busy{0};     // a forward is running on this state
    float *x, *xb, *xb2, *hb, *hb2, *q, *att;
    float *key_cache, *value_cache;   // [layers][max_seq][kv_dim]
    int8_t* xq;                       // Q8: one quantized activation vector, padded_max bytes
    float* xs;                        // Q8: its group scales
    feednative::Blocks storage;
};

namespace feednative {

// Reads and validates a llama2.c checkpoint; fills *model.  Returns FN_OK or fails with a message.
int load_llama(const char* path, int32_t weights, int32_t group_size, fn_llama* model);

// Bytes a state with max_seq positions allocates (besides its small fixed header).
int64_t llama_state_bytes(const fn_llama* model, int32_t max_seq);

// Allocates the state's buffers.
void init_llama_state(const fn_llama* model, int32_t max_seq, fn_llama_state* state);

// One decoder step: token at pos (checked by the caller) into logits[vocab].
void llama_forward(const fn_llama* model, fn_llama_state* state, int32_t token, int32_t pos, float* logits);

// Symmetric int8 per group of group_size along x[0..n): scale = absmax / 127 (0 for an
// all-zero group), q = clamp(round_half_even(x * (127 / absmax)), -127, 127) (0 for an all-zero
// group), zero past n up to groups * group_size.
void quantize_groups(const float* x, int32_t n, int32_t group_size, int32_t groups, int8_t* q, float* scales,
                     int64_t scale_stride);

}  // namespace feednative

#endif
