package dev.feedserver.nativelib;

import java.util.ArrayList;
import java.util.List;

/** Test helper: every native kernel path this CPU supports, plus "java" (the pure-Java fallback). */
final class GemmImpls {

    static final String JAVA = "java";

    private GemmImpls() {}

    /** Used as a @MethodSource: "scalar", ..., then "java". */
    static List<String> all() {
        List<String> impls = new ArrayList<>(Isas.supported());
        impls.add(JAVA);
        return impls;
    }

    static Int8Gemm gemm(String impl) {
        return impl.equals(JAVA) ? JavaInt8Gemm.INSTANCE : NativeInt8Gemm.INSTANCE;
    }

    /** Runs body on the implementation (forcing the native kernel path when it is one). */
    static void with(String impl, Runnable body) {
        if (impl.equals(JAVA)) {
            body.run();
        } else {
            Isas.with(impl, body);
        }
    }
}
