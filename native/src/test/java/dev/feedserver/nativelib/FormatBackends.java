package dev.feedserver.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** Test helper: both backends of NumberFormats and Quantizer, and segment builders. */
final class FormatBackends {

    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    private FormatBackends() {}

    /** @MethodSource for tests that run the same assertions on both NumberFormats backends. */
    static List<NumberFormats> numberFormats() {
        return List.of(NativeNumberFormats.INSTANCE, JavaNumberFormats.INSTANCE);
    }

    /** @MethodSource for tests that run the same assertions on both Quantizer backends. */
    static List<Quantizer> quantizers() {
        return List.of(NativeQuantizer.INSTANCE, JavaQuantizer.INSTANCE);
    }

    /** Floats given by their raw bits, at an odd address (unaligned on purpose). */
    static MemorySegment floatBits(Arena arena, int... bits) {
        MemorySegment s = arena.allocate(bits.length * 4L + 1).asSlice(1);
        for (int i = 0; i < bits.length; i++) {
            s.setAtIndex(I32, i, bits[i]);
        }
        return s;
    }

    static MemorySegment floats(Arena arena, float... values) {
        MemorySegment s = arena.allocate(values.length * 4L + 1).asSlice(1);
        for (int i = 0; i < values.length; i++) {
            s.setAtIndex(F32, i, values[i]);
        }
        return s;
    }

    static MemorySegment bytes(Arena arena, int... values) {
        MemorySegment s = arena.allocate(Math.max(1, values.length));
        for (int i = 0; i < values.length; i++) {
            s.set(I8, i, (byte) values[i]);
        }
        return s;
    }

    static MemorySegment shorts(Arena arena, int... values) {
        MemorySegment s = arena.allocate(values.length * 2L + 1).asSlice(1);
        for (int i = 0; i < values.length; i++) {
            s.setAtIndex(I16, i, (short) values[i]);
        }
        return s;
    }

    static int[] intsOf(MemorySegment s, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = s.getAtIndex(I32, i);
        }
        return r;
    }

    static int[] unsignedBytesOf(MemorySegment s, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = s.get(I8, i) & 0xFF;
        }
        return r;
    }

    static int[] unsignedShortsOf(MemorySegment s, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = s.getAtIndex(I16, i) & 0xFFFF;
        }
        return r;
    }

    static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }
}
