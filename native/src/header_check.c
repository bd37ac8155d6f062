/* Compiled as C (never linked into anything): proves feed_native.h is a valid C header. */
#include "feed_native.h"

typedef char fn_info_is_16_bytes[(sizeof(fn_info) == 16) ? 1 : -1];
/* The Java struct classes (fn_epilogue.java, fn_layer_spec.java) assume these sizes. */
typedef char fn_epilogue_is_40_bytes[(sizeof(fn_epilogue) == 40) ? 1 : -1];
typedef char fn_layer_spec_is_32_bytes[(sizeof(fn_layer_spec) == 32) ? 1 : -1];

int feed_native_header_check(void);
int feed_native_header_check(void) {
    fn_info info;
    return fn_get_info(&info) == FN_OK ? info.isa : FN_ERR_INTERNAL;
}
