// Exported memory mapping: huge-page-backed anonymous memory for large off-heap tables.
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "boundary.h"
#include "feed_native.h"

namespace {
constexpr int64_t kHugePage = int64_t{2} << 20;
}

extern "C" int fn_map_huge(int64_t bytes, void** out_addr) {
    try {
        if (out_addr == nullptr) return feednative::fail(FN_ERR_NULL_POINTER, "fn_map_huge: out_addr is NULL");
        *out_addr = nullptr;
        if (bytes < 1) {
            return feednative::fail(FN_ERR_INVALID_ARGUMENT, "fn_map_huge: bytes must be >= 1 (got %lld)",
                                    static_cast<long long>(bytes));
        }
#if defined(__linux__)
        // Over-map by one huge page so the returned address can be 2 MiB-aligned, then trim.
        const size_t length = static_cast<size_t>(bytes);
        const size_t span = length + static_cast<size_t>(kHugePage);
        void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (raw == MAP_FAILED) {
            return feednative::fail(FN_ERR_INTERNAL, "fn_map_huge: mmap of %lld bytes failed", static_cast<long long>(bytes));
        }
        const uintptr_t base = reinterpret_cast<uintptr_t>(raw);
        const uintptr_t aligned = (base + kHugePage - 1) & ~static_cast<uintptr_t>(kHugePage - 1);
        if (aligned > base) munmap(raw, aligned - base);
        const uintptr_t end = aligned + length;
        const uintptr_t span_end = base + span;
        if (span_end > end) munmap(reinterpret_cast<void*>(end), span_end - end);
#if defined(MADV_HUGEPAGE)
        madvise(reinterpret_cast<void*>(aligned), length, MADV_HUGEPAGE);
#endif
        *out_addr = reinterpret_cast<void*>(aligned);
        return FN_OK;
#else
        return feednative::fail(FN_ERR_INTERNAL, "fn_map_huge: not supported on this platform");
#endif
    } catch (...) {
        return feednative::internal_error("fn_map_huge");
    }
}

extern "C" int fn_unmap(void* addr, int64_t bytes) {
    try {
        if (addr == nullptr) return feednative::fail(FN_ERR_NULL_POINTER, "fn_unmap: addr is NULL");
        if (bytes < 1) return feednative::fail(FN_ERR_INVALID_ARGUMENT, "fn_unmap: bytes must be >= 1");
#if defined(__linux__)
        if (munmap(addr, static_cast<size_t>(bytes)) != 0) {
            return feednative::fail(FN_ERR_INTERNAL, "fn_unmap: munmap failed");
        }
        return FN_OK;
#else
        return feednative::fail(FN_ERR_INTERNAL, "fn_unmap: not supported on this platform");
#endif
    } catch (...) {
        return feednative::internal_error("fn_unmap");
    }
}
