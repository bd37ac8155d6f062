// Helpers for the exported C boundary, shared by every api_*.cpp file: the thread-local
// last error and exception containment.  Baseline translation units only (no ISA flags).
#ifndef FEED_NATIVE_BOUNDARY_H
#define FEED_NATIVE_BOUNDARY_H

#include <stdint.h>

namespace feednative {

// Formats the message into the calling thread's last-error buffer and returns `status`.
__attribute__((format(printf, 2, 3))) int fail(int status, const char* fmt, ...) noexcept;

// Maps the exception being handled to FN_ERR_INTERNAL.  Call only from inside a catch handler:
//   try { ... } catch (...) { return feednative::internal_error("fn_x"); }
int internal_error(const char* function) noexcept;

// The calling thread's last-error buffer.
const char* last_error() noexcept;

}  // namespace feednative

#endif
