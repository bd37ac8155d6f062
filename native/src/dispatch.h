// Kernel selection: chosen once at library load, overridable by fn_set_isa.
#ifndef FEED_NATIVE_DISPATCH_H
#define FEED_NATIVE_DISPATCH_H

#include <stdint.h>

#include "kernels.h"

namespace feednative {

// The kernel table in use now (never null).
const KernelTable* active_kernels() noexcept;

// Bit (1 << isa) for every ISA this CPU (and OS) can run.
int32_t supported_isa_mask() noexcept;

// Switches the process to `isa`; returns FN_OK, FN_ERR_INVALID_ARGUMENT or FN_ERR_UNSUPPORTED_ISA.
int set_active_isa(int32_t isa) noexcept;

// Space-separated CPU features `isa` needs but this CPU lacks ("" if none). Static storage.
const char* missing_features(int32_t isa) noexcept;

// Static text explaining the current choice.
const char* dispatch_note() noexcept;

const char* isa_name(int32_t isa) noexcept;

}  // namespace feednative

#endif
