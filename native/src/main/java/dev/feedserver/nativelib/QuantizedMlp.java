package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A quantized multi-layer perceptron ({@code fn_mlp_*} in {@code feed_native.h}): dense layers
 * forming a tree (a shared bottom and several heads), run as int8 GEMMs.
 *
 * <p>Quantization: at creation each layer's float weights are quantized per output channel,
 * symmetric int8 ({@code scale = absmax / 127}, round half even); at every forward each
 * layer's input rows are quantized per row the same way (dynamic scales), the int8 products
 * are summed exactly in int32, and the epilogue computes
 * {@code act(((float) acc * rowScale) * weightScale + bias)} in float. The output row is the
 * concatenation of the output layers' outputs. A forward may also take an addend: one float row
 * per input row added to layer 0's pre-activation, {@code act((... + bias) + addend)}, so a
 * caller can split the first dense layer over feature families (user-only and item-only parts
 * computed elsewhere, only the cross part in int8); {@link #forwardGather} gathers that addend
 * itself from a per-item table plus a shared per-request row. {@link #create} picks the native
 * or the Java implementation per {@link KernelBackend#current()}; both give bit-identical
 * outputs for the same inputs (see docs/native.md for the exact arithmetic and error bounds).
 *
 * <p>Threading: {@link #forward} and {@link #forwardGather} are thread-safe -- concurrent calls
 * on one model are fine as long as each uses its own scratch segment (and output).
 * {@link #close} may race with forwards: the native weights are freed only after the last
 * in-flight forward returns; calls that start after close throw {@link IllegalStateException}.
 *
 * <p>Lifecycle: the model owns native memory (the native implementation) and must be closed;
 * close is idempotent. Every method other than {@code close} throws
 * {@link IllegalStateException} once the model is closed.
 */
public abstract sealed class QuantizedMlp implements AutoCloseable permits NativeQuantizedMlp, JavaQuantizedMlp {

    /**
     * One dense layer, as given: {@code out = act(weights x in + bias)}.
     *
     * @param in         input width, {@code >= 1}
     * @param out        output width, {@code >= 1}
     * @param weights    out x in floats, row-major (row j = output channel j), all finite
     * @param bias       out floats, or null
     * @param activation the activation
     * @param inputLayer -1 for the model input, else the index of an earlier layer
     */
    public record Layer(int in, int out, float[] weights, float[] bias, Int8Gemm.Activation activation,
                        int inputLayer) {

        /** Requires non-null weights and activation. */
        public Layer {
            Objects.requireNonNull(weights, "weights");
            Objects.requireNonNull(activation, "activation");
        }
    }

    /** Rows per forward block; must match kRowBlock in native/src/api_mlp.cpp (scratch sizing). */
    static final long ROW_BLOCK = 96;

    private static final int CLOSED = Integer.MIN_VALUE;

    /** Sign bit: closed; the other bits: forwards in flight. */
    private final AtomicInteger state = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();

    final int inDim;
    final int outDim;
    final int maxIn;
    final int[] layerOut;

    QuantizedMlp(List<Layer> layers, int[] outputLayers) {
        int in = 0;
        int max = 0;
        int[] outs = new int[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer.inputLayer() < 0 && in == 0) {
                in = layer.in();
            }
            max = Math.max(max, layer.in());
            outs[i] = layer.out();
        }
        long total = 0;
        for (int l : outputLayers) {
            total += layers.get(l).out();
        }
        this.inDim = in;
        this.outDim = (int) total;
        this.maxIn = max;
        this.layerOut = outs;
    }

    /** A model on the current {@link KernelBackend}. */
    public static QuantizedMlp create(List<Layer> layers, int... outputLayers) {
        return KernelBackend.current() == KernelBackend.NATIVE ? createNative(layers, outputLayers)
                : createJava(layers, outputLayers);
    }

    /** A model run by libfeednative ({@code fn_mlp_create}). */
    public static QuantizedMlp createNative(List<Layer> layers, int... outputLayers) {
        validate(layers, outputLayers);
        return new NativeQuantizedMlp(List.copyOf(layers), outputLayers.clone());
    }

    /** A model run in pure Java, bit-identical to the native one. */
    public static QuantizedMlp createJava(List<Layer> layers, int... outputLayers) {
        validate(layers, outputLayers);
        return new JavaQuantizedMlp(List.copyOf(layers), outputLayers.clone());
    }

    /** Input width (floats per input row). */
    public final int inDim() {
        ensureOpen("inDim");
        return inDim;
    }

    /** Output width: the sum of the output layers' widths. */
    public final int outDim() {
        ensureOpen("outDim");
        return outDim;
    }

    /**
     * Layer 0's output width: the floats per row of a {@link #forward forward} addend, and of a
     * {@link #forwardGather} table row and shared row.
     */
    public final int firstLayerWidth() {
        ensureOpen("firstLayerWidth");
        return layerOut[0];
    }

    /** Bytes of packed int8 weights (the native blob sizes; the Java model reports the same). */
    public abstract long weightBytes();

    /** Bytes of scratch {@link #forward} needs for up to {@code maxRows} rows (same for both implementations). */
    public final long scratchBytes(long maxRows) {
        ensureOpen("scratchBytes");
        if (maxRows < 0) {
            throw GemmChecks.fail("scratchBytes", "maxRows must be >= 0 (got " + maxRows + ")");
        }
        long rows = Math.min(maxRows, ROW_BLOCK);
        long qLd = roundUp(maxIn, 64);
        long total = roundUp(rows * qLd, 64) + roundUp(rows * Float.BYTES, 64);
        for (int out : layerOut) {
            total += roundUp(rows * roundUp(out, 16) * Float.BYTES, 64);
        }
        return total + 64;
    }

    /** {@link #forward(MemorySegment, long, long, MemorySegment, MemorySegment, long)} with dense rows. */
    public final void forward(MemorySegment x, long rows, MemorySegment scratch, MemorySegment out) {
        forward(x, rows, inDim, scratch, out, outDim);
    }

    /**
     * Runs {@code rows} rows of x ({@link #inDim()} floats each, {@code ldx} floats apart) through
     * the model into out ({@link #outDim()} floats each, {@code ldo} apart), using scratch
     * (at least {@link #scratchBytes}{@code (rows)} bytes) for all intermediate data.
     *
     * @throws IllegalArgumentException if an argument is invalid or a segment too small
     * @throws IllegalStateException    if the model is closed
     * @throws NativeException          if the native call fails
     */
    public final void forward(MemorySegment x, long rows, long ldx, MemorySegment scratch, MemorySegment out,
                              long ldo) {
        forward(x, rows, ldx, null, 0, scratch, out, ldo);
    }

    /**
     * As {@link #forward(MemorySegment, long, long, MemorySegment, MemorySegment, long)}, with
     * addend row r ({@link #firstLayerWidth()} floats at {@code r * ldAdd}) added to layer 0's
     * pre-activation: {@code y = (((float) acc * rowScale) * weightScale + bias) + addend}, in
     * that float order, then layer 0's activation. Only layer 0 takes the addend (it always reads
     * the model input). A null addend is exactly the forward without one ({@code ldAdd} ignored).
     *
     * @param ldAdd floats between addend rows, {@code >= firstLayerWidth()} when addend is non-null
     * @throws IllegalArgumentException if an argument is invalid or a segment too small
     * @throws IllegalStateException    if the model is closed
     * @throws NativeException          if the native call fails
     */
    public final void forward(MemorySegment x, long rows, long ldx, MemorySegment addend, long ldAdd,
                              MemorySegment scratch, MemorySegment out, long ldo) {
        acquire("forward");
        try {
            String fn = "forward";
            boolean requireNative = checkIo(fn, x, rows, ldx, scratch, out, ldo);
            if (addend != null) {
                GemmChecks.usable(fn, addend, "addend", requireNative);
                GemmChecks.matrix(fn, addend, "addend", rows, layerOut[0], ldAdd, "ldAdd", Float.BYTES);
            }
            checkScratch(fn, rows, scratch);
            if (rows > 0) {
                run(x, rows, ldx, addend, ldAdd, null, 0, null, scratch, out, ldo);
            }
        } finally {
            release();
        }
    }

    /**
     * As {@link #forward(MemorySegment, long, long, MemorySegment, long, MemorySegment, MemorySegment, long)},
     * with row r's addend gathered: table row {@code index[r]} ({@link #firstLayerWidth()} floats
     * at {@code index[r] * ldTable}) plus, when non-null, the shared row, in this float order:
     * {@code y = ((((float) acc * rowScale) * weightScale + bias) + table[index[r]][j]) + shared[j]},
     * then layer 0's activation. A null shared row is skipped (nothing added, not +0). The ranker's
     * use: the item-only part of its first layer cached per item in the table, the user-only part
     * of the request in shared, so no per-candidate addend is materialised. Every index is
     * checked before any work; the index segment must not change during the call.
     *
     * @param table     tableRows rows of at least {@link #firstLayerWidth()} floats, ldTable apart
     * @param ldTable   floats between table rows, {@code >= firstLayerWidth()}
     * @param tableRows rows in the table, {@code >= 1}
     * @param index     rows int32 values, each in {@code [0, tableRows)}
     * @param shared    {@link #firstLayerWidth()} floats added to every row, or null
     * @throws IllegalArgumentException if an argument is invalid, a segment too small, or an index
     *                                  out of range (the message names the row and the value)
     * @throws IllegalStateException    if the model is closed
     * @throws NativeException          if the native call fails
     */
    public final void forwardGather(MemorySegment x, long rows, long ldx, MemorySegment table, long ldTable,
                                    long tableRows, MemorySegment index, MemorySegment shared, MemorySegment scratch,
                                    MemorySegment out, long ldo) {
        acquire("forwardGather");
        try {
            String fn = "forwardGather";
            boolean requireNative = checkIo(fn, x, rows, ldx, scratch, out, ldo);
            GemmChecks.usable(fn, table, "table", requireNative);
            if (tableRows < 1) {
                throw GemmChecks.fail(fn, "tableRows must be >= 1 (got " + tableRows + ")");
            }
            GemmChecks.matrix(fn, table, "table", tableRows, layerOut[0], ldTable, "ldTable", Float.BYTES);
            GemmChecks.usable(fn, index, "index", requireNative);
            if (index.byteSize() < rows * Integer.BYTES) {
                throw GemmChecks.fail(fn, "index too small: " + rows + " rows need " + rows * Integer.BYTES
                        + " bytes but index.byteSize()=" + index.byteSize());
            }
            if (shared != null) {
                GemmChecks.floats(fn, shared, "shared", layerOut[0], requireNative);
            }
            checkScratch(fn, rows, scratch);
            GemmChecks.indexesBelow(fn, index, rows, tableRows);
            if (rows > 0) {
                run(x, rows, ldx, table, ldTable, index, tableRows, shared, scratch, out, ldo);
            }
        } finally {
            release();
        }
    }

    /** The checks every forward starts with; returns whether segments must be native. */
    private boolean checkIo(String fn, MemorySegment x, long rows, long ldx, MemorySegment scratch, MemorySegment out,
                            long ldo) {
        boolean requireNative = this instanceof NativeQuantizedMlp;
        if (rows < 0) {
            throw GemmChecks.fail(fn, "rows must be >= 0 (got " + rows + ")");
        }
        GemmChecks.usable(fn, x, "x", requireNative);
        GemmChecks.writable(fn, scratch, "scratch", requireNative);
        GemmChecks.writable(fn, out, "out", requireNative);
        GemmChecks.matrix(fn, x, "x", rows, inDim, ldx, "ldx", Float.BYTES);
        GemmChecks.matrix(fn, out, "out", rows, outDim, ldo, "ldo", Float.BYTES);
        return requireNative;
    }

    private void checkScratch(String fn, long rows, MemorySegment scratch) {
        long need = scratchBytes(rows);
        if (scratch.byteSize() < need) {
            throw GemmChecks.fail(fn, "scratch too small: " + rows + " rows need " + need
                    + " bytes (scratchBytes) but scratch.byteSize()=" + scratch.byteSize());
        }
    }

    /** Frees the model (after in-flight forwards finish); idempotent. */
    @Override
    public final void close() {
        for (;;) {
            int s = state.get();
            if (s < 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    releaseOnce();
                }
                return;
            }
        }
    }

    /**
     * Arguments checked, rows >= 1. Layer 0's addend for row r: none when addend is null; else
     * addend row r (ldAdd apart) when index is null; else (a gather: addend is the table of
     * tableRows rows, ldAdd its ldTable) table row index[r], every index checked in range.
     * shared: null, or layer 0's out floats added after the addend.
     */
    abstract void run(MemorySegment x, long rows, long ldx, MemorySegment addend, long ldAdd, MemorySegment index,
                      long tableRows, MemorySegment shared, MemorySegment scratch, MemorySegment out, long ldo);

    /** Frees resources; called exactly once, with no forward in flight. */
    abstract void free();

    final void ensureOpen(String method) {
        if (state.get() < 0) {
            throw new IllegalStateException(method + ": the model is closed");
        }
    }

    private void acquire(String method) {
        for (;;) {
            int s = state.get();
            if (s < 0) {
                throw new IllegalStateException(method + ": the model is closed");
            }
            if (state.compareAndSet(s, s + 1)) {
                return;
            }
        }
    }

    private void release() {
        if (state.decrementAndGet() == CLOSED) {
            releaseOnce();
        }
    }

    private void releaseOnce() {
        if (released.compareAndSet(false, true)) {
            free();
        }
    }

    static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    /** The checks fn_mlp_create makes, with the same wording, as IllegalArgumentException. */
    static void validate(List<Layer> layers, int[] outputLayers) {
        String fn = "create";
        if (layers == null || layers.isEmpty()) {
            throw GemmChecks.fail(fn, "at least one layer is required");
        }
        if (outputLayers == null || outputLayers.length == 0) {
            throw GemmChecks.fail(fn, "at least one output layer is required");
        }
        int inDim = -1;
        int inputSetBy = -1;
        for (int i = 0; i < layers.size(); i++) {
            Layer s = layers.get(i);
            if (s == null) {
                throw GemmChecks.fail(fn, "layer " + i + " is null");
            }
            if (s.in() < 1 || s.out() < 1) {
                throw GemmChecks.fail(fn, "layer " + i + ": in and out must be >= 1 (got in=" + s.in() + ", out="
                        + s.out() + ")");
            }
            if (s.inputLayer() < -1 || s.inputLayer() >= i) {
                throw GemmChecks.fail(fn, "layer " + i + ": input_layer must be -1 (the model input) or an earlier layer "
                        + "0.." + (i - 1) + " (got " + s.inputLayer() + ")");
            }
            if (s.inputLayer() == -1) {
                if (inputSetBy < 0) {
                    inDim = s.in();
                    inputSetBy = i;
                } else if (s.in() != inDim) {
                    throw GemmChecks.fail(fn, "layer " + i + ": in=" + s.in() + " but the model input width is " + inDim
                            + " (set by layer " + inputSetBy + ")");
                }
            } else if (s.in() != layers.get(s.inputLayer()).out()) {
                throw GemmChecks.fail(fn, "layer " + i + ": in=" + s.in() + " but its input, layer " + s.inputLayer()
                        + ", has out=" + layers.get(s.inputLayer()).out());
            }
            if (s.weights().length != (long) s.in() * s.out()) {
                throw GemmChecks.fail(fn, "layer " + i + ": weights has " + s.weights().length + " floats but in x out = "
                        + (long) s.in() * s.out());
            }
            if (s.bias() != null && s.bias().length != s.out()) {
                throw GemmChecks.fail(fn, "layer " + i + ": bias has " + s.bias().length + " floats but out=" + s.out());
            }
            for (int e = 0; e < s.weights().length; e++) {
                if (!Float.isFinite(s.weights()[e])) {
                    throw GemmChecks.fail(fn, "layer " + i + ": weights[" + e + "] is not finite");
                }
            }
            if (s.bias() != null) {
                for (int e = 0; e < s.bias().length; e++) {
                    if (!Float.isFinite(s.bias()[e])) {
                        throw GemmChecks.fail(fn, "layer " + i + ": bias[" + e + "] is not finite");
                    }
                }
            }
        }
        long total = 0;
        for (int o = 0; o < outputLayers.length; o++) {
            int l = outputLayers[o];
            if (l < 0 || l >= layers.size()) {
                throw GemmChecks.fail(fn, "output_layers[" + o + "] must be a layer index 0.." + (layers.size() - 1)
                        + " (got " + l + ")");
            }
            total += layers.get(l).out();
        }
        if (total > Integer.MAX_VALUE) {
            throw GemmChecks.fail(fn, "total output width overflows int32");
        }
    }
}
