// Kernel selection.  Runs in the baseline (no -m flags) translation unit so that it is
// safe on every x86-64 CPU.  The choice is made once, in a load-time constructor, from
// CPUID (via __builtin_cpu_supports, which also checks that the OS saves the YMM/ZMM
// state) and the FEED_NATIVE_ISA environment variable; fn_set_isa can override it later.
#include "dispatch.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <strings.h>

#include "feed_native.h"

namespace feednative {
namespace {

constexpr int32_t kIsaCount = 4;

// Preference order, worst first.  Not the enum order: FN_ISA_AVXVNNI (3) ranks between
// avx2 and avx512vnni.  "At or below" in the fallback rule means lower in this list.
constexpr int32_t kByPreference[kIsaCount] = {FN_ISA_SCALAR, FN_ISA_AVX2, FN_ISA_AVXVNNI, FN_ISA_AVX512};

int32_t preference_rank(int32_t isa) noexcept {
    for (int32_t i = 0; i < kIsaCount; ++i) {
        if (kByPreference[i] == isa) return i;
    }
    return -1;
}

std::atomic<const KernelTable*> g_active{&kScalarKernels};
std::atomic<const char*> g_note{"dispatch not initialized"};
std::atomic<int32_t> g_mask{1 << FN_ISA_SCALAR};

// Written only by the load-time constructor, read-only afterwards.
char g_load_note[320];
char g_missing[kIsaCount][96];

const char* const kSetIsaNotes[kIsaCount] = {
    "forced to scalar by fn_set_isa",
    "forced to avx2 by fn_set_isa",
    "forced to avx512vnni by fn_set_isa",
    "forced to avxvnni by fn_set_isa",
};

const KernelTable* table_for(int32_t isa) noexcept {
    switch (isa) {
        case FN_ISA_SCALAR: return &kScalarKernels;
        case FN_ISA_AVX2: return &kAvx2Kernels;
        case FN_ISA_AVX512: return &kAvx512Kernels;
        case FN_ISA_AVXVNNI: return &kAvxVnniKernels;
        default: return nullptr;
    }
}

struct Feature {
    const char* name;
    bool present;
};

void record_missing(int32_t isa, const Feature* features, int count) noexcept {
    char* buf = g_missing[isa];
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < count; ++i) {
        if (features[i].present) continue;
        int n = std::snprintf(buf + used, sizeof g_missing[isa] - used, "%s%s",
                              used == 0 ? "" : " ", features[i].name);
        if (n < 0 || used + static_cast<size_t>(n) >= sizeof g_missing[isa]) break;
        used += static_cast<size_t>(n);
    }
}

int32_t detect_cpu() noexcept {
    __builtin_cpu_init();  // required: we may run before libgcc's own constructor
    const Feature avx2[] = {
        {"avx2", __builtin_cpu_supports("avx2") != 0},
        {"fma", __builtin_cpu_supports("fma") != 0},
    };
    const Feature avx512[] = {
        {"avx512f", __builtin_cpu_supports("avx512f") != 0},
        {"avx512bw", __builtin_cpu_supports("avx512bw") != 0},
        {"avx512vnni", __builtin_cpu_supports("avx512vnni") != 0},
    };
    const Feature avxvnni[] = {
        {"avx2", __builtin_cpu_supports("avx2") != 0},
        {"fma", __builtin_cpu_supports("fma") != 0},
        {"avxvnni", __builtin_cpu_supports("avxvnni") != 0},
    };
    g_missing[FN_ISA_SCALAR][0] = '\0';
    record_missing(FN_ISA_AVX2, avx2, 2);
    record_missing(FN_ISA_AVX512, avx512, 3);
    record_missing(FN_ISA_AVXVNNI, avxvnni, 3);
    int32_t mask = 1 << FN_ISA_SCALAR;
    for (int32_t isa = FN_ISA_AVX2; isa < kIsaCount; ++isa) {
        if (g_missing[isa][0] == '\0') mask |= 1 << isa;
    }
    return mask;
}

// The most preferred supported path ranked at or below `ceiling` (an isa).
int32_t best_at_most(int32_t mask, int32_t ceiling) noexcept {
    for (int32_t rank = preference_rank(ceiling); rank > 0; --rank) {
        if (mask & (1 << kByPreference[rank])) return kByPreference[rank];
    }
    return FN_ISA_SCALAR;
}

// -1 = auto, -2 = unrecognized
int32_t parse_isa(const char* value) noexcept {
    if (strcasecmp(value, "scalar") == 0) return FN_ISA_SCALAR;
    if (strcasecmp(value, "avx2") == 0) return FN_ISA_AVX2;
    if (strcasecmp(value, "avx512") == 0 || strcasecmp(value, "avx512vnni") == 0) return FN_ISA_AVX512;
    if (strcasecmp(value, "avxvnni") == 0) return FN_ISA_AVXVNNI;
    if (strcasecmp(value, "auto") == 0) return -1;
    return -2;
}

void describe_supported(int32_t mask, char* buf, size_t size) noexcept {
    size_t used = 0;
    buf[0] = '\0';
    for (int32_t rank = 0; rank < kIsaCount; ++rank) {
        const int32_t isa = kByPreference[rank];
        if (!(mask & (1 << isa))) continue;
        int n = std::snprintf(buf + used, size - used, "%s%s", used == 0 ? "" : ",", isa_name(isa));
        if (n < 0 || used + static_cast<size_t>(n) >= size) break;
        used += static_cast<size_t>(n);
    }
}

__attribute__((constructor)) void init_dispatch() noexcept {
    const int32_t mask = detect_cpu();
    const int32_t best = best_at_most(mask, kByPreference[kIsaCount - 1]);
    char supported[64];
    describe_supported(mask, supported, sizeof supported);

    int32_t chosen = best;
    const char* env = std::getenv("FEED_NATIVE_ISA");
    if (env == nullptr || env[0] == '\0') {
        std::snprintf(g_load_note, sizeof g_load_note, "auto-detected %s (cpu supports %s)",
                      isa_name(best), supported);
    } else {
        const int32_t requested = parse_isa(env);
        if (requested == -2) {
            std::snprintf(g_load_note, sizeof g_load_note,
                          "FEED_NATIVE_ISA='%.40s' not recognized (expected scalar|avx2|avxvnni|avx512|auto); "
                          "using auto-detected %s (cpu supports %s)",
                          env, isa_name(best), supported);
        } else if (requested == -1) {
            std::snprintf(g_load_note, sizeof g_load_note, "FEED_NATIVE_ISA=auto: auto-detected %s (cpu supports %s)",
                          isa_name(best), supported);
        } else if (mask & (1 << requested)) {
            chosen = requested;
            std::snprintf(g_load_note, sizeof g_load_note, "FEED_NATIVE_ISA=%.40s: using %s (cpu supports %s)",
                          env, isa_name(chosen), supported);
        } else {
            chosen = best_at_most(mask, requested);
            std::snprintf(g_load_note, sizeof g_load_note,
                          "FEED_NATIVE_ISA=%.40s requested but this cpu lacks %s; fell back to %s (cpu supports %s)",
                          env, g_missing[requested], isa_name(chosen), supported);
        }
    }
    g_mask.store(mask, std::memory_order_relaxed);
    g_note.store(g_load_note, std::memory_order_release);
    g_active.store(table_for(chosen), std::memory_order_release);
}

}  // namespace

const KernelTable* active_kernels() noexcept { return g_active.load(std::memory_order_acquire); }

int32_t supported_isa_mask() noexcept { return g_mask.load(std::memory_order_relaxed); }

const char* dispatch_note() noexcept { return g_note.load(std::memory_order_acquire); }

const char* missing_features(int32_t isa) noexcept {
    return (isa >= 0 && isa < kIsaCount) ? g_missing[isa] : "";
}

int set_active_isa(int32_t isa) noexcept {
    const KernelTable* table = table_for(isa);
    if (table == nullptr) return FN_ERR_INVALID_ARGUMENT;
    if (!(supported_isa_mask() & (1 << isa))) return FN_ERR_UNSUPPORTED_ISA;
    g_active.store(table, std::memory_order_release);
    g_note.store(kSetIsaNotes[isa], std::memory_order_release);
    return FN_OK;
}

const char* isa_name(int32_t isa) noexcept {
    switch (isa) {
        case FN_ISA_SCALAR: return "scalar";
        case FN_ISA_AVX2: return "avx2";
        case FN_ISA_AVX512: return "avx512vnni";
        case FN_ISA_AVXVNNI: return "avxvnni";
        default: return "unknown";
    }
}

}  // namespace feednative
