// AVX-512 (F + BW + VNNI) int8 GEMM, float GEMM and row quantizer.  Compiled with
// -mavx512f -mavx512bw -mavx512vnni -ffp-contract=off; only called after dispatch has checked
// CPUID.  Internal linkage only (kernels.h explains why).
//
// int8 micro-kernel: 6 rows x 64 columns of int32 accumulators (24 zmm).  Per group of 4 k:
// 4 loads of packed weights (16 columns x 4 k each), 6 vpbroadcastd of 4 activation bytes,
// 24 vpdpbusd.  Blocking: 48 rows x 128 columns of int32 partial sums (a 24 KiB stack tile)
// are accumulated over k in slices of 256 k (the 64-column weight micro-panel of a slice is
// 16 KiB and stays in L1 while it meets the 8 row strips); the epilogue then runs once over
// the finished tile.
#include <immintrin.h>
#include <string.h>

#include "feed_native.h"
#include "gemm.h"

namespace feednative {
namespace {

constexpr int kMR = 6;     // rows per micro-tile
constexpr int kNB = 4;     // 16-column blocks per micro-tile
constexpr int kKCG = 64;   // groups of 4 k per k-slice
constexpr int kMC = 48;    // rows per C tile (multiple of kMR)
constexpr int kNCB = 8;    // 16-column blocks per C tile
constexpr int kLdc = kNCB * 16;

inline uint32_t load_u32(const uint8_t* p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

// The last, partial group of a row: only `bytes` (1..3) bytes exist; the rest read as 0.
inline uint32_t load_partial(const uint8_t* p, int bytes) {
    uint32_t v = 0;
    memcpy(&v, p, static_cast<size_t>(bytes));
    return v;
}

template <int MR, int NB, bool SIGNED>
void micro(const uint8_t* a, int64_t lda, const int8_t* w, int64_t wstride, int ng, int tail, int32_t* c,
           bool first) {
    __m512i acc[MR][NB];
    #pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        #pragma GCC unroll 16
        for (int j = 0; j < NB; ++j) {
            acc[r][j] = first ? _mm512_setzero_si512() : _mm512_load_si512(c + r * kLdc + j * 16);
        }
    }
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    for (int g = 0; g < ng; ++g) {
        __m512i wv[NB];
        #pragma GCC unroll 16
        for (int j = 0; j < NB; ++j) wv[j] = _mm512_loadu_si512(w + j * wstride + g * kPackGroupBytes);
        #pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) {
            __m512i av = _mm512_set1_epi32(static_cast<int32_t>(load_u32(a + r * lda + 4 * g)));
            if (SIGNED) av = _mm512_xor_si512(av, flip);
            #pragma GCC unroll 16
            for (int j = 0; j < NB; ++j) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], av, wv[j]);
        }
    }
    if (tail != 0) {
        __m512i wv[NB];
        #pragma GCC unroll 16
        for (int j = 0; j < NB; ++j) wv[j] = _mm512_loadu_si512(w + j * wstride + ng * kPackGroupBytes);
        #pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) {
            // Padding bytes: 0 (0x80 after the flip); their weights are 0, so they add nothing.
            __m512i av = _mm512_set1_epi32(static_cast<int32_t>(load_partial(a + r * lda + 4 * ng, tail)));
            if (SIGNED) av = _mm512_xor_si512(av, flip);
            #pragma GCC unroll 16
            for (int j = 0; j < NB; ++j) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], av, wv[j]);
        }
    }
    #pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        #pragma GCC unroll 16
        for (int j = 0; j < NB; ++j) _mm512_store_si512(c + r * kLdc + j * 16, acc[r][j]);
    }
}

using MicroFn = void (*)(const uint8_t*, int64_t, const int8_t*, int64_t, int, int, int32_t*, bool);

template <bool SIGNED, int MR>
constexpr MicroFn row_of(int nb) {
    return nb == 1 ? &micro<MR, 1, SIGNED> : nb == 2 ? &micro<MR, 2, SIGNED> : nb == 3 ? &micro<MR, 3, SIGNED>
                                                                                   : &micro<MR, 4, SIGNED>;
}

template <bool SIGNED>
struct MicroTable {
    MicroFn fn[kMR][kNB];
};

template <bool SIGNED>
constexpr MicroTable<SIGNED> make_table() {
    MicroTable<SIGNED> t{};
    for (int nb = 1; nb <= kNB; ++nb) {
        t.fn[0][nb - 1] = row_of<SIGNED, 1>(nb);
        t.fn[1][nb - 1] = row_of<SIGNED, 2>(nb);
        t.fn[2][nb - 1] = row_of<SIGNED, 3>(nb);
        t.fn[3][nb - 1] = row_of<SIGNED, 4>(nb);
        t.fn[4][nb - 1] = row_of<SIGNED, 5>(nb);
        t.fn[5][nb - 1] = row_of<SIGNED, 6>(nb);
    }
    return t;
}

constexpr MicroTable<false> kMicroU8 = make_table<false>();
constexpr MicroTable<true> kMicroS8 = make_table<true>();

// ---- epilogue: the canonical float math of gemm.h, 16 lanes at a time ----------------------

inline __m512 rne_ps(__m512 v) {
    return _mm512_sub_ps(_mm512_add_ps(v, _mm512_set1_ps(kRoundMagic)), _mm512_set1_ps(kRoundMagic));
}

__m512 exp_ps(__m512 x) {
    x = _mm512_max_ps(x, _mm512_set1_ps(kExpLo));
    x = _mm512_min_ps(x, _mm512_set1_ps(kExpHi));
    const __m512 n = rne_ps(_mm512_mul_ps(x, _mm512_set1_ps(kLog2e)));
    __m512 r = _mm512_sub_ps(x, _mm512_mul_ps(n, _mm512_set1_ps(kLn2Hi)));
    r = _mm512_sub_ps(r, _mm512_mul_ps(n, _mm512_set1_ps(kLn2Lo)));
    const __m512 z = _mm512_mul_ps(r, r);
    __m512 p = _mm512_set1_ps(kExpP0);
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpP1));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpP2));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpP3));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpP4));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpP5));
    p = _mm512_mul_ps(p, z);
    p = _mm512_add_ps(p, r);
    p = _mm512_add_ps(p, _mm512_set1_ps(1.0f));
    const __m512i e = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23);
    return _mm512_mul_ps(p, _mm512_castsi512_ps(e));
}

inline __m512 activate_ps(__m512 y, int32_t activation) {
    switch (activation) {
        case FN_ACT_RELU: return _mm512_max_ps(y, _mm512_setzero_ps());
        case FN_ACT_SILU: {
            // -y: flip the sign bit, exactly like unary minus (AVX512F has no xor_ps).
            const __m512 neg = _mm512_castsi512_ps(
                _mm512_xor_si512(_mm512_castps_si512(y), _mm512_set1_epi32(static_cast<int32_t>(0x80000000u))));
            return _mm512_div_ps(y, _mm512_add_ps(_mm512_set1_ps(1.0f), exp_ps(neg)));
        }
        case FN_ACT_GELU: {
            const __m512 y3 = _mm512_mul_ps(_mm512_mul_ps(y, y), y);
            const __m512 u = _mm512_add_ps(y, _mm512_mul_ps(_mm512_set1_ps(kGeluCube), y3));
            const __m512 e = exp_ps(_mm512_mul_ps(_mm512_set1_ps(kGeluC), u));
            return _mm512_div_ps(y, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
        }
        default: return y;
    }
}

// Finishes rows [0, rows) x columns [n0, n1) of the C tile (row i of the tile is output row
// m0 + i; tile column 0 is output column n0).
void epilogue_tile(const int32_t* c, int64_t m0, int rows, int32_t n0, int32_t n1, uint32_t zp,
                   const PackedView* w, const GemmEpilogue* ep, void* out, int64_t ldo) {
    const __m512i vzp = _mm512_set1_epi32(static_cast<int32_t>(zp));
    for (int i = 0; i < rows; ++i) {
        const int64_t m = m0 + i;
        const __m512 rs = ep->row_scale != nullptr ? _mm512_set1_ps(ep->row_scale[m]) : _mm512_setzero_ps();
        for (int32_t j = n0; j < n1; j += 16) {
            const int32_t cols = n1 - j < 16 ? n1 - j : 16;
            const __mmask16 mask = static_cast<__mmask16>((1u << cols) - 1u);
            __m512i acc = _mm512_load_si512(c + i * kLdc + (j - n0));
            if (zp != 0) {
                // colsum has n_pad entries: a full 16-wide load never leaves the blob.
                const __m512i colsum = _mm512_loadu_si512(w->colsum + 4 * j);
                acc = _mm512_sub_epi32(acc, _mm512_mullo_epi32(colsum, vzp));
            }
            const int64_t at = m * ldo + j;
            if (ep->output == FN_OUT_S32) {
                _mm512_mask_storeu_epi32(static_cast<int32_t*>(out) + at, mask, acc);
                continue;
            }
            __m512 y = _mm512_cvtepi32_ps(acc);
            if (ep->row_scale != nullptr) y = _mm512_mul_ps(y, rs);
            y = _mm512_mul_ps(y, _mm512_maskz_loadu_ps(mask, ep->col_scale + j));
            if (ep->bias != nullptr) y = _mm512_add_ps(y, _mm512_maskz_loadu_ps(mask, ep->bias + j));
            y = activate_ps(y, ep->activation);
            if (ep->output == FN_OUT_F32) {
                _mm512_mask_storeu_ps(static_cast<float*>(out) + at, mask, y);
                continue;
            }
            __m512 v = _mm512_div_ps(y, _mm512_set1_ps(ep->out_scale));
            v = _mm512_max_ps(v, _mm512_set1_ps(-kRequantClamp));
            v = _mm512_min_ps(v, _mm512_set1_ps(kRequantClamp));
            __m512i q = _mm512_add_epi32(_mm512_cvtps_epi32(v), _mm512_set1_epi32(ep->out_zero_point));
            const bool s8 = ep->output == FN_OUT_S8;
            q = _mm512_max_epi32(q, _mm512_set1_epi32(s8 ? -128 : 0));
            q = _mm512_min_epi32(q, _mm512_set1_epi32(s8 ? 127 : 255));
            _mm512_mask_cvtepi32_storeu_epi8(static_cast<int8_t*>(out) + at, mask, q);
        }
    }
}

void gemm_s8_avx512(const uint8_t* a, int64_t m, int64_t lda, int32_t a_zero_point, int32_t a_signed,
                    const PackedView* w, const GemmEpilogue* ep, void* out, int64_t ldo) {
    alignas(64) int32_t tile[kMC * kLdc];
    const int32_t kg = w->k_groups;
    const int tail = w->k & 3;
    const int64_t wstride = static_cast<int64_t>(kg) * kPackGroupBytes;
    const int32_t nblocks = w->n_pad / kPackBlockCols;
    // vpdpbusd sees a (u8) or a ^ 0x80 = a + 128 (s8): subtract zp * colsum afterwards.
    const uint32_t zp = a_signed ? 128u : static_cast<uint32_t>(a_zero_point);
    const MicroTable<false>& tu8 = kMicroU8;
    const MicroTable<true>& ts8 = kMicroS8;
    for (int64_t m0 = 0; m0 < m; m0 += kMC) {
        const int mc = static_cast<int>(m - m0 < kMC ? m - m0 : kMC);
        for (int32_t b0 = 0; b0 < nblocks; b0 += kNCB) {
            const int ncb = nblocks - b0 < kNCB ? nblocks - b0 : kNCB;
            for (int32_t g0 = 0; g0 < kg; g0 += kKCG) {
                const int gc = kg - g0 < kKCG ? kg - g0 : kKCG;
                const bool last = g0 + gc == kg;
                const int ng = (last && tail != 0) ? gc - 1 : gc;
                const int t = last ? tail : 0;
                for (int jb = 0; jb < ncb; jb += kNB) {
                    const int nb = ncb - jb < kNB ? ncb - jb : kNB;
                    const int8_t* wp = w->data + (b0 + jb) * wstride + static_cast<int64_t>(g0) * kPackGroupBytes;
                    for (int r0 = 0; r0 < mc; r0 += kMR) {
                        const int mr = mc - r0 < kMR ? mc - r0 : kMR;
                        const uint8_t* ap = a + (m0 + r0) * lda + 4 * static_cast<int64_t>(g0);
                        int32_t* cp = tile + r0 * kLdc + jb * 16;
                        if (a_signed) {
                            ts8.fn[mr - 1][nb - 1](ap, lda, wp, wstride, ng, t, cp, g0 == 0);
                        } else {
                            tu8.fn[mr - 1][nb - 1](ap, lda, wp, wstride, ng, t, cp, g0 == 0);
                        }
                    }
                }
            }
            const int32_t n0 = b0 * kPackBlockCols;
            const int32_t n1 = (b0 + ncb) * kPackBlockCols < w->n ? (b0 + ncb) * kPackBlockCols : w->n;
            epilogue_tile(tile, m0, mc, n0, n1, zp, w, ep, out, ldo);
        }
    }
}

// ---- float GEMM: dot-product form, 4 rows of a x 6 rows of w (24 zmm accumulators) --------

constexpr int kFR = 4;      // a rows per micro-tile
constexpr int kFW = 6;      // w rows per micro-tile
constexpr int kFKC = 1024;  // k per slice (the 6 w rows of a slice: 24 KiB, L1)
constexpr int kFMC = 64;    // a rows per block (64 x 4 KiB slices: L2)

// The 256-bit halves.  Spelled with the masked intrinsic and an explicit pass-through: the
// unmasked ones (and _mm512_castps512_ps256, _mm512_reduce_*_ps) start from
// _mm256_undefined_pd(), which GCC 12 reports under -Wuninitialized (GCC PR 105593).
template <int HALF>
inline __m256 half256(__m512 v) {
    return _mm256_castpd_ps(_mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), 0xF, _mm512_castps_pd(v), HALF));
}

inline float hsum_ps(__m512 v) {
    __m256 s256 = _mm256_add_ps(half256<0>(v), half256<1>(v));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(s256), _mm256_extractf128_ps(s256, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

inline float hmax_ps(__m512 v) {  // exact: max is order-independent without NaNs
    __m256 s256 = _mm256_max_ps(half256<0>(v), half256<1>(v));
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(s256), _mm256_extractf128_ps(s256, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

template <int FR, int FW>
void fmicro(const float* a, int64_t lda, const float* w, int64_t ldw, int32_t kc, float* out, int64_t ldo,
            bool first) {
    __m512 acc[FR][FW];
    #pragma GCC unroll 16
    for (int r = 0; r < FR; ++r) {
        #pragma GCC unroll 16
        for (int j = 0; j < FW; ++j) acc[r][j] = _mm512_setzero_ps();
    }
    int32_t k = 0;
    for (; k + 16 <= kc; k += 16) {
        __m512 wv[FW];
        #pragma GCC unroll 16
        for (int j = 0; j < FW; ++j) wv[j] = _mm512_loadu_ps(w + j * ldw + k);
        #pragma GCC unroll 16
        for (int r = 0; r < FR; ++r) {
            const __m512 av = _mm512_loadu_ps(a + r * lda + k);
            #pragma GCC unroll 16
            for (int j = 0; j < FW; ++j) acc[r][j] = _mm512_fmadd_ps(av, wv[j], acc[r][j]);
        }
    }
    if (k < kc) {
        const __mmask16 mask = static_cast<__mmask16>((1u << (kc - k)) - 1u);
        __m512 wv[FW];
        #pragma GCC unroll 16
        for (int j = 0; j < FW; ++j) wv[j] = _mm512_maskz_loadu_ps(mask, w + j * ldw + k);
        #pragma GCC unroll 16
        for (int r = 0; r < FR; ++r) {
            const __m512 av = _mm512_maskz_loadu_ps(mask, a + r * lda + k);
            #pragma GCC unroll 16
            for (int j = 0; j < FW; ++j) acc[r][j] = _mm512_fmadd_ps(av, wv[j], acc[r][j]);
        }
    }
    #pragma GCC unroll 16
    for (int r = 0; r < FR; ++r) {
        #pragma GCC unroll 16
        for (int j = 0; j < FW; ++j) {
            const float s = hsum_ps(acc[r][j]);
            float* o = out + r * ldo + j;
            if (first) {
                memcpy(o, &s, sizeof s);
            } else {
                float prev;
                memcpy(&prev, o, sizeof prev);
                prev = prev + s;
                memcpy(o, &prev, sizeof prev);
            }
        }
    }
}

using FMicroFn = void (*)(const float*, int64_t, const float*, int64_t, int32_t, float*, int64_t, bool);

template <int FR>
constexpr FMicroFn frow_of(int fw) {
    return fw == 1   ? &fmicro<FR, 1>
           : fw == 2 ? &fmicro<FR, 2>
           : fw == 3 ? &fmicro<FR, 3>
           : fw == 4 ? &fmicro<FR, 4>
           : fw == 5 ? &fmicro<FR, 5>
                     : &fmicro<FR, 6>;
}

struct FMicroTable {
    FMicroFn fn[kFR][kFW];
};

constexpr FMicroTable make_ftable() {
    FMicroTable t{};
    for (int fr = 1; fr <= kFR; ++fr) {
        for (int fw = 1; fw <= kFW; ++fw) {
            t.fn[fr - 1][fw - 1] = fr == 1   ? frow_of<1>(fw)
                                   : fr == 2 ? frow_of<2>(fw)
                                   : fr == 3 ? frow_of<3>(fw)
                                   : fr == 4 ? frow_of<4>(fw)
                                   : fr == 5 ? frow_of<5>(fw)
                                             : frow_of<6>(fw);
        }
    }
    return t;
}

constexpr FMicroTable kFMicro = make_ftable();

// A table row number; the caller's index array may be unaligned.
inline int64_t load_index(const int32_t* p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

void add_activate_rows_avx512(float* y, int64_t rows, int32_t n, int64_t ldy, const float* add, int64_t ld_add,
                              const int32_t* index, const float* shared, int32_t activation) {
    for (int64_t i = 0; i < rows; ++i) {
        float* row = y + i * ldy;
        const float* add_row = add == nullptr ? nullptr : add + (index != nullptr ? load_index(index + i) : i) * ld_add;
        for (int32_t j = 0; j < n; j += 16) {
            const __mmask16 mask = static_cast<__mmask16>(n - j < 16 ? (1u << (n - j)) - 1u : 0xFFFFu);
            __m512 v = _mm512_maskz_loadu_ps(mask, row + j);
            if (add_row != nullptr) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask, add_row + j));
            if (shared != nullptr) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask, shared + j));
            _mm512_mask_storeu_ps(row + j, mask, activate_ps(v, activation));
        }
    }
}

void gemm_f32_avx512(const float* a, int64_t m, int32_t k, int64_t lda, const float* w, int32_t n, int64_t ldw,
                     const float* bias, int32_t activation, float* out, int64_t ldo) {
    for (int64_t m0 = 0; m0 < m; m0 += kFMC) {
        const int mc = static_cast<int>(m - m0 < kFMC ? m - m0 : kFMC);
        for (int32_t k0 = 0; k0 < k; k0 += kFKC) {
            const int32_t kc = k - k0 < kFKC ? k - k0 : kFKC;
            for (int32_t n0 = 0; n0 < n; n0 += kFW) {
                const int fw = n - n0 < kFW ? n - n0 : kFW;
                for (int r0 = 0; r0 < mc; r0 += kFR) {
                    const int fr = mc - r0 < kFR ? mc - r0 : kFR;
                    kFMicro.fn[fr - 1][fw - 1](a + (m0 + r0) * lda + k0, lda, w + n0 * ldw + k0, ldw, kc,
                                               out + (m0 + r0) * ldo + n0, ldo, k0 == 0);
                }
            }
        }
        if (bias != nullptr || activation != FN_ACT_NONE) {
            add_activate_rows_avx512(out + m0 * ldo, mc, n, ldo, bias, 0, nullptr, nullptr, activation);
        }
    }
}

// ---- per-row dynamic int8 quantization ---------------------------------------------------

void quantize_rows_avx512(const float* x, int64_t rows, int64_t ldx, int32_t cols, int8_t* q, int64_t ldq,
                          float* scales) {
    const __m512i magnitude = _mm512_set1_epi32(0x7FFFFFFF);
    for (int64_t i = 0; i < rows; ++i) {
        const float* row = x + i * ldx;
        __m512 mx = _mm512_setzero_ps();
        for (int32_t c = 0; c < cols; c += 16) {
            const __mmask16 mask = static_cast<__mmask16>(cols - c < 16 ? (1u << (cols - c)) - 1u : 0xFFFFu);
            const __m512 v = _mm512_castsi512_ps(
                _mm512_and_si512(_mm512_castps_si512(_mm512_maskz_loadu_ps(mask, row + c)), magnitude));
            mx = _mm512_max_ps(v, mx);  // v > mx ? v : mx: a NaN never wins
        }
        const float absmax = hmax_ps(mx);
        const float scale = absmax > 0.0f ? absmax / 127.0f : 1.0f;
        const __m512 vs = _mm512_set1_ps(scale);
        for (int32_t c = 0; c < cols; c += 16) {
            const __mmask16 mask = static_cast<__mmask16>(cols - c < 16 ? (1u << (cols - c)) - 1u : 0xFFFFu);
            // Rows are often exactly a page (1024 floats), where hardware prefetchers stop:
            // fetch the row after next while this one (already in L1) is converted.
            if (i + 2 < rows) _mm_prefetch(reinterpret_cast<const char*>(row + 2 * ldx + c), _MM_HINT_T0);
            __m512 v = _mm512_div_ps(_mm512_maskz_loadu_ps(mask, row + c), vs);
            v = _mm512_min_ps(v, _mm512_set1_ps(127.0f));
            v = _mm512_max_ps(v, _mm512_set1_ps(-127.0f));
            _mm512_mask_cvtepi32_storeu_epi8(q + i * ldq + c, mask, _mm512_cvtps_epi32(v));
        }
        memcpy(scales + i, &scale, sizeof scale);
    }
}

}  // namespace

extern const GemmKernels kGemmAvx512 = {FN_ISA_AVX512, &gemm_s8_avx512, &gemm_f32_avx512, &quantize_rows_avx512,
                                       &add_activate_rows_avx512};

}  // namespace feednative
