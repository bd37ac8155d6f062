package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.Int8Gemm.Epilogue;
import dev.feedserver.nativelib.Int8Gemm.Output;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Error paths: the C boundary's statuses and messages (raw bindings), and the Java-side checks of both implementations. */
class GemmErrorTest {

    private static String lastError() {
        return feed_native_h.fn_last_error().getString(0);
    }

    private static MemorySegment packed(Arena arena, int n, int k) {
        MemorySegment w = arena.allocate((long) n * k);
        MemorySegment p = arena.allocate(NativeInt8Gemm.INSTANCE.packedSize(n, k));
        NativeInt8Gemm.INSTANCE.pack(w, n, k, k, p);
        return p;
    }

    private static MemorySegment epilogue(Arena arena, MemorySegment row, MemorySegment col, MemorySegment bias,
                                          int activation, int output, float outScale, int zp) {
        MemorySegment ep = fn_epilogue.allocate(arena);
        fn_epilogue.row_scale(ep, row);
        fn_epilogue.col_scale(ep, col);
        fn_epilogue.bias(ep, bias);
        fn_epilogue.activation(ep, activation);
        fn_epilogue.output(ep, output);
        fn_epilogue.out_scale(ep, outScale);
        fn_epilogue.out_zero_point(ep, zp);
        return ep;
    }

    @Test
    void structLayoutsMatchTheHeader() {
        assertEquals(40, fn_epilogue.sizeof());
        assertEquals(24, fn_epilogue.activation$offset());
        assertEquals(32, fn_epilogue.out_scale$offset());
        assertEquals(36, fn_epilogue.out_zero_point$offset());
        assertEquals(32, fn_layer_spec.sizeof());
        assertEquals(8, fn_layer_spec.weights$offset());
        assertEquals(28, fn_layer_spec.input_layer$offset());
        assertEquals(0, feed_native_h.FN_ACT_NONE());
        assertEquals(3, feed_native_h.FN_ACT_GELU());
        assertEquals(Activation.GELU.ordinal(), feed_native_h.FN_ACT_GELU());
        assertEquals(Output.U8.ordinal(), feed_native_h.FN_OUT_U8());
        assertEquals(Output.F32.ordinal(), feed_native_h.FN_OUT_F32());
    }

    @Test
    void nativeBoundaryMessages() {
        int nul = feed_native_h.FN_ERR_NULL_POINTER();
        int inv = feed_native_h.FN_ERR_INVALID_ARGUMENT();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            MemorySegment p = packed(arena, 5, 7);
            MemorySegment s32 = epilogue(arena, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0, 0, 0, 0);
            MemorySegment size = arena.allocate(8);

            assertEquals(inv, feed_native_h.fn_pack_s8_size(0, 4, size));
            assertEquals("fn_pack_s8_size: n must be in 1..2147483632 (got 0)", lastError());
            assertEquals(nul, feed_native_h.fn_pack_s8(MemorySegment.NULL, 2, 2, 2, buf, 4096));
            assertEquals("fn_pack_s8: w is NULL", lastError());
            assertEquals(inv, feed_native_h.fn_pack_s8(buf, 2, 8, 4, buf, 4096));
            assertEquals("fn_pack_s8: ld must be >= 8, the row width of w (got 4)", lastError());
            assertEquals(inv, feed_native_h.fn_pack_s8(buf, 5, 7, 7, buf, 100));
            assertTrue(lastError().startsWith("fn_pack_s8: packed_bytes=100 but n=5, k=7 needs "), lastError());

            assertEquals(nul, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, MemorySegment.NULL, 5, s32, buf, 5));
            assertEquals("fn_gemm_u8s8: packed_w is NULL", lastError());
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, p, 6, s32, buf, 6));
            assertEquals("fn_gemm_u8s8: packed_w holds weights for n=5, k=7 but the call has n=6, k=7", lastError());
            assertEquals(inv, feed_native_h.fn_gemm_s8s8(buf, 1, 8, 8, p, 5, s32, buf, 5));
            assertEquals("fn_gemm_s8s8: packed_w holds weights for n=5, k=7 but the call has n=5, k=8", lastError());
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, buf.asSlice(1000), 5, s32, buf, 5));
            assertTrue(lastError().startsWith("fn_gemm_u8s8: packed_w is not a packed weight blob (magic 0x00000000"),
                    lastError());
            MemorySegment corrupt = arena.allocate(p.byteSize());
            corrupt.copyFrom(p);
            corrupt.set(ValueLayout.JAVA_INT, 8, 6); // n field changed without fixing the check
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, corrupt, 5, s32, buf, 5));
            assertEquals("fn_gemm_u8s8: packed_w header is corrupt (checksum mismatch)", lastError());
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 256, p, 5, s32, buf, 5));
            assertEquals("fn_gemm_u8s8: a_zero_point must be in 0..255 (got 256)", lastError());
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, -1, 7, 7, 0, p, 5, s32, buf, 5));
            assertEquals("fn_gemm_u8s8: m must be >= 0 (got -1)", lastError());
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 6, 0, p, 5, s32, buf, 5));
            assertEquals("fn_gemm_u8s8: lda must be >= 7, the row width of a (got 6)", lastError());
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, p, 5, s32, buf, 4));
            assertEquals("fn_gemm_u8s8: ldo must be >= 5, the row width of out (got 4)", lastError());
            assertEquals(nul, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, p, 5, MemorySegment.NULL, buf, 5));
            assertEquals("fn_gemm_u8s8: ep is NULL", lastError());
            assertEquals(nul, feed_native_h.fn_gemm_u8s8(MemorySegment.NULL, 1, 7, 7, 0, p, 5, s32, buf, 5));
            assertEquals("fn_gemm_u8s8: a is NULL", lastError());

            MemorySegment s32WithScale = epilogue(arena, MemorySegment.NULL, buf, MemorySegment.NULL, 0, 0, 0, 0);
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, p, 5, s32WithScale, buf, 5));
            assertTrue(lastError().startsWith("fn_gemm_u8s8: FN_OUT_S32 stores the raw accumulators"), lastError());
            MemorySegment f32NoScale = epilogue(arena, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 1, 1, 0, 0);
            assertEquals(nul, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, p, 5, f32NoScale, buf, 5));
            assertEquals("fn_gemm_u8s8: ep->col_scale is NULL (required unless ep->output is FN_OUT_S32)", lastError());
            MemorySegment badAct = epilogue(arena, MemorySegment.NULL, buf, MemorySegment.NULL, 9, 1, 0, 0);
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, p, 5, badAct, buf, 5));
            assertEquals("fn_gemm_u8s8: ep->activation must be FN_ACT_NONE..FN_ACT_GELU (got 9)", lastError());
            MemorySegment badOut = epilogue(arena, MemorySegment.NULL, buf, MemorySegment.NULL, 0, 7, 0, 0);
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, p, 5, badOut, buf, 5));
            assertTrue(lastError().startsWith("fn_gemm_u8s8: ep->output must be FN_OUT_S32"), lastError());
            MemorySegment badScale = epilogue(arena, MemorySegment.NULL, buf, MemorySegment.NULL, 0, 2, 0f, 0);
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, p, 5, badScale, buf, 5));
            assertEquals("fn_gemm_u8s8: ep->out_scale must be finite and > 0 for S8/U8 output (got 0)", lastError());
            MemorySegment badZp = epilogue(arena, MemorySegment.NULL, buf, MemorySegment.NULL, 0, 3, 1f, -1);
            assertEquals(inv, feed_native_h.fn_gemm_u8s8(buf, 1, 7, 7, 0, p, 5, badZp, buf, 5));
            assertEquals("fn_gemm_u8s8: ep->out_zero_point must be in 0..255 for U8 output (got -1)", lastError());

            assertEquals(inv, feed_native_h.fn_gemm_f32(buf, 1, 4, 4, buf, 2, 4, MemorySegment.NULL, 4, buf, 2));
            assertEquals("fn_gemm_f32: activation must be FN_ACT_NONE..FN_ACT_GELU (got 4)", lastError());
            assertEquals(inv, feed_native_h.fn_gemm_f32(buf, 1, 4, 4, buf, 2, 3, MemorySegment.NULL, 0, buf, 2));
            assertEquals("fn_gemm_f32: ldw must be >= 4, the row width of w (got 3)", lastError());
            // m = 0 is valid and writes nothing
            assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_gemm_u8s8(buf, 0, 7, 7, 0, p, 5, s32, buf, 5));
        }
    }

    @Test
    void nativeMlpMessages() {
        int nul = feed_native_h.FN_ERR_NULL_POINTER();
        int inv = feed_native_h.FN_ERR_INVALID_ARGUMENT();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment weights = arena.allocate(4 * 64);
            MemorySegment specs = fn_layer_spec.allocateArray(2, arena);
            for (int i = 0; i < 2; i++) {
                MemorySegment s = fn_layer_spec.asSlice(specs, i);
                fn_layer_spec.in(s, 4);
                fn_layer_spec.out(s, 3);
                fn_layer_spec.weights(s, weights);
                fn_layer_spec.bias(s, MemorySegment.NULL);
                fn_layer_spec.activation(s, 0);
                fn_layer_spec.input_layer(s, i - 1);
            }
            MemorySegment outputs = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
            MemorySegment model = arena.allocate(ValueLayout.ADDRESS);
            assertEquals(inv, feed_native_h.fn_mlp_create(specs, 2, outputs, 1, model));
            assertEquals("fn_mlp_create: layer 1: in=4 but its input, layer 0, has out=3", lastError());
            assertEquals(MemorySegment.NULL, model.get(ValueLayout.ADDRESS, 0));
            fn_layer_spec.in(fn_layer_spec.asSlice(specs, 1), 3);
            fn_layer_spec.input_layer(fn_layer_spec.asSlice(specs, 1), 2);
            assertEquals(inv, feed_native_h.fn_mlp_create(specs, 2, outputs, 1, model));
            assertEquals("fn_mlp_create: layer 1: input_layer must be -1 (the model input) or an earlier layer 0..0 "
                    + "(got 2)", lastError());
            fn_layer_spec.input_layer(fn_layer_spec.asSlice(specs, 1), 0);
            weights.setAtIndex(ValueLayout.JAVA_FLOAT, 2, Float.POSITIVE_INFINITY);
            assertEquals(inv, feed_native_h.fn_mlp_create(specs, 2, outputs, 1, model));
            assertEquals("fn_mlp_create: layer 0: weights[2] is not finite", lastError());
            weights.setAtIndex(ValueLayout.JAVA_FLOAT, 2, 0.5f);
            assertEquals(nul, feed_native_h.fn_mlp_create(specs, 2, MemorySegment.NULL, 1, model));
            assertEquals("fn_mlp_create: output_layers is NULL", lastError());
            assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_mlp_create(specs, 2, outputs, 1, model));
            MemorySegment handle = model.get(ValueLayout.ADDRESS, 0);
            try {
                MemorySegment bytes = arena.allocate(8);
                assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_mlp_scratch_size(handle, 10, bytes));
                long need = bytes.get(ValueLayout.JAVA_LONG, 0);
                MemorySegment buf = arena.allocate(need);
                assertEquals(inv, feed_native_h.fn_mlp_forward(handle, buf, 10, 4, buf, need - 1, buf, 3));
                assertEquals("fn_mlp_forward: scratch_bytes=" + (need - 1) + " but 10 rows need " + need
                        + " (fn_mlp_scratch_size)", lastError());
                assertEquals(inv, feed_native_h.fn_mlp_forward(handle, buf, 10, 3, buf, need, buf, 3));
                assertEquals("fn_mlp_forward: ldx must be >= in_dim=4 (got 3)", lastError());
                assertEquals(nul, feed_native_h.fn_mlp_forward(MemorySegment.NULL, buf, 10, 4, buf, need, buf, 3));
                assertEquals("fn_mlp_forward: model is NULL", lastError());
            } finally {
                assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_mlp_destroy(handle));
            }
            assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_mlp_destroy(MemorySegment.NULL));
        }
    }

    private static void rejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void javaSideChecksOfBothImplementations() {
        for (Int8Gemm gemm : List.of(NativeInt8Gemm.INSTANCE, JavaInt8Gemm.INSTANCE)) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment p = packed(arena, 5, 7);
                MemorySegment a = arena.allocate(7 * 3);
                MemorySegment out = arena.allocate(4 * 5 * 3);
                MemorySegment scales = arena.allocate(4 * 5);
                rejected("gemmU8S8: packedW holds weights for n=5, k=7 but the call has n=4, k=7",
                        () -> gemm.gemmU8S8(a, 3, 7, 7, 0, p, 4, Epilogue.s32(), out, 4));
                rejected("gemmU8S8: packedW too small: n=5, k=7 needs " + p.byteSize() + " bytes but packedW.byteSize()="
                                + (p.byteSize() - 1),
                        () -> gemm.gemmU8S8(a, 3, 7, 7, 0, p.asSlice(0, p.byteSize() - 1), 5, Epilogue.s32(), out, 5));
                rejected("gemmS8S8: packedW too small for a packed weight header (10 bytes < 64)",
                        () -> gemm.gemmS8S8(a, 3, 7, 7, p.asSlice(0, 10), 5, Epilogue.s32(), out, 5));
                rejected("gemmU8S8: a too small: 4 rows of 7 elements, lda=7 need 28 bytes but a.byteSize()=21",
                        () -> gemm.gemmU8S8(a, 4, 7, 7, 0, p, 5, Epilogue.s32(), out, 5));
                rejected("gemmU8S8: out too small: 3 rows of 5 elements, ldo=6 need 68 bytes but out.byteSize()=60",
                        () -> gemm.gemmU8S8(a, 3, 7, 7, 0, p, 5, Epilogue.s32(), out, 6));
                rejected("gemmU8S8: aZeroPoint must be in 0..255 (got -1)",
                        () -> gemm.gemmU8S8(a, 3, 7, 7, -1, p, 5, Epilogue.s32(), out, 5));
                rejected("gemmU8S8: ep.colScale() is null (required unless the output is S32)",
                        () -> gemm.gemmU8S8(a, 3, 7, 7, 0, p, 5, Epilogue.f32(null, null, null, Activation.NONE), out, 5));
                rejected("gemmU8S8: ep.rowScale() too small: 3 floats need 12 bytes but ep.rowScale().byteSize()=8",
                        () -> gemm.gemmU8S8(a, 3, 7, 7, 0, p, 5,
                                Epilogue.f32(scales.asSlice(0, 8), scales, null, Activation.NONE), out, 5));
                rejected("gemmU8S8: ep.outZeroPoint() must be in -128..127 for S8 output (got 128)",
                        () -> gemm.gemmU8S8(a, 3, 7, 7, 0, p, 5, Epilogue.s8(null, scales, null, Activation.NONE, 1f, 128),
                                out, 5));
                rejected("gemmS8S8: S32 output stores the raw accumulators: rowScale, colScale and bias must be null "
                                + "and the activation NONE (got RELU)",
                        () -> gemm.gemmS8S8(a, 3, 7, 7, p, 5,
                                new Epilogue(null, null, null, Activation.RELU, Output.S32, 0f, 0), out, 5));
                rejected("gemmS8S8: out is a read-only segment",
                        () -> gemm.gemmS8S8(a, 3, 7, 7, p, 5, Epilogue.s32(), out.asReadOnly(), 5));
                rejected("gemmF32: lda must be >= 4, the row width of a (got 2)",
                        () -> gemm.gemmF32(out, 1, 4, 2, out, 1, 4, null, Activation.NONE, out, 1));
                rejected("pack: packed too small: n=5, k=7 needs " + p.byteSize()
                                + " bytes (packedSize) but packed.byteSize()=64",
                        () -> gemm.pack(arena.allocate(35), 5, 7, 7, arena.allocate(64)));
                MemorySegment wrongMagic = arena.allocate(p.byteSize());
                rejected("gemmU8S8: packedW is not a packed weight blob (magic 0x00000000, expected 0x38504e46 \"FNP8\"; "
                                + "pack the weights with pack())",
                        () -> gemm.gemmU8S8(a, 3, 7, 7, 0, wrongMagic, 5, Epilogue.s32(), out, 5));
            }
        }
        rejected("gemmU8S8: a must be a native (off-heap or mapped) segment, not a heap segment",
                () -> NativeInt8Gemm.INSTANCE.gemmU8S8(MemorySegment.ofArray(new byte[7]), 1, 7, 7, 0,
                        MemorySegment.ofArray(new byte[100]), 1, Epilogue.s32(), MemorySegment.ofArray(new byte[4]), 1));
    }
}
