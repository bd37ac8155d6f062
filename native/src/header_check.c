/* Compiled as C (never linked into anything): proves feed_native.h is a valid C header. */
#include "feed_native.h"

typedef char fn_info_is_16_bytes[(sizeof(fn_info) == 16) ? 1 : -1];

int feed_native_header_check(void);
int feed_native_header_check(void) {
    fn_info info;
    return fn_get_info(&info) == FN_OK ? info.isa : FN_ERR_INTERNAL;
}
