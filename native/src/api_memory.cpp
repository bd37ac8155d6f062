// Exported memory advice: transparent huge pages for large off-heap tables.
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "boundary.h"
#include "feed_native.h"

extern "C" int fn_advise_hugepages(void* addr, int64_t bytes, int64_t* out_advised_bytes) {
    try {
        if (out_advised_bytes == nullptr) {
            return feednative::fail(FN_ERR_NULL_POINTER, "fn_advise_hugepages: out_advised_bytes is NULL");
        }
        if (bytes < 0) {
            return feednative::fail(FN_ERR_INVALID_ARGUMENT, "fn_advise_hugepages: bytes must be >= 0 (got %lld)",
                                    static_cast<long long>(bytes));
        }
        *out_advised_bytes = 0;
        if (addr == nullptr || bytes == 0) return FN_OK;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        constexpr uintptr_t kHuge = uintptr_t{2} << 20;
        const uintptr_t start = (reinterpret_cast<uintptr_t>(addr) + kHuge - 1) & ~(kHuge - 1);
        const uintptr_t end = (reinterpret_cast<uintptr_t>(addr) + static_cast<uintptr_t>(bytes)) & ~(kHuge - 1);
        if (end > start && madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE) == 0) {
            *out_advised_bytes = static_cast<int64_t>(end - start);
        }
#endif
        return FN_OK;
    } catch (...) {
        return feednative::internal_error("fn_advise_hugepages");
    }
}
