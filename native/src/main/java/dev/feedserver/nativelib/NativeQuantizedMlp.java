package dev.feedserver.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * {@link QuantizedMlp} on libfeednative: owns an {@code fn_mlp*} handle (packed weights in
 * native memory) from creation until {@link #close()}. Segments passed to forward must be
 * native. See {@link QuantizedMlp} for threading and lifecycle.
 */
final class NativeQuantizedMlp extends QuantizedMlp {

    private final MemorySegment handle;
    private final long weightBytes;

    NativeQuantizedMlp(List<Layer> layers, int[] outputLayers) {
        super(layers, outputLayers);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment specs = fn_layer_spec.allocateArray(layers.size(), arena);
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                MemorySegment spec = fn_layer_spec.asSlice(specs, i);
                fn_layer_spec.in(spec, layer.in());
                fn_layer_spec.out(spec, layer.out());
                fn_layer_spec.weights(spec, arena.allocateFrom(ValueLayout.JAVA_FLOAT, layer.weights()));
                fn_layer_spec.bias(spec, layer.bias() == null ? MemorySegment.NULL
                        : arena.allocateFrom(ValueLayout.JAVA_FLOAT, layer.bias()));
                fn_layer_spec.activation(spec, layer.activation().ordinal());
                fn_layer_spec.input_layer(spec, layer.inputLayer());
            }
            MemorySegment outputs = arena.allocateFrom(ValueLayout.JAVA_INT, outputLayers);
            MemorySegment model = arena.allocate(ValueLayout.ADDRESS);
            NativeKernels.check(feed_native_h.fn_mlp_create(specs, layers.size(), outputs, outputLayers.length, model));
            handle = model.get(ValueLayout.ADDRESS, 0);
            MemorySegment in = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment bytes = arena.allocate(ValueLayout.JAVA_LONG);
            int status = feed_native_h.fn_mlp_shape(handle, in, out, bytes);
            if (status != feed_native_h.FN_OK() || in.get(ValueLayout.JAVA_INT, 0) != inDim
                    || out.get(ValueLayout.JAVA_INT, 0) != outDim) {
                feed_native_h.fn_mlp_destroy(handle);
                NativeKernels.check(status);
                throw new IllegalStateException("fn_mlp_shape disagrees with the layer specs");
            }
            weightBytes = bytes.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    @Override
    public long weightBytes() {
        ensureOpen("weightBytes");
        return weightBytes;
    }

    /** The native scratch size, for tests: must equal {@link #scratchBytes(long)}. */
    long nativeScratchBytes(long maxRows) {
        ensureOpen("nativeScratchBytes");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(ValueLayout.JAVA_LONG);
            NativeKernels.check(feed_native_h.fn_mlp_scratch_size(handle, maxRows, bytes));
            return bytes.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    @Override
    void run(MemorySegment x, long rows, long ldx, MemorySegment addend, long ldAdd, MemorySegment index,
             long tableRows, MemorySegment shared, MemorySegment scratch, MemorySegment out, long ldo) {
        if (addend == null) {
            NativeKernels.check(feed_native_h.fn_mlp_forward(handle, x, rows, ldx, scratch, scratch.byteSize(), out,
                    ldo));
        } else if (index == null) {
            NativeKernels.check(feed_native_h.fn_mlp_forward_add(handle, x, rows, ldx, addend, ldAdd, scratch,
                    scratch.byteSize(), out, ldo));
        } else {
            NativeKernels.check(feed_native_h.fn_mlp_forward_gather(handle, x, rows, ldx, addend, ldAdd, tableRows,
                    index, shared == null ? MemorySegment.NULL : shared, scratch, scratch.byteSize(), out, ldo));
        }
    }

    @Override
    void free() {
        NativeKernels.check(feed_native_h.fn_mlp_destroy(handle));
    }
}
