package dev.feedserver.ranking.rank;

import dev.feedserver.nativelib.Int8Gemm;
import dev.feedserver.nativelib.QuantizedMlp;
import dev.feedserver.ranking.feed.FeedModel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntConsumer;

/**
 * The ranker as served: a {@link RankerModel} run as an int8 {@link QuantizedMlp} over the
 * candidate block, with the first layer split by scope so only what depends on the candidate
 * is computed per candidate:
 * <pre>
 *   pre0[i] = W_request^T x_request          once per request (one native float GEMV)
 *           + W_item^T x_item(i)             cached per item ({@link ItemPartials})
 *           + W_cand^T x_cand(i) + b0        int8 GEMM over the candidate batch
 * </pre>
 * The native MLP gathers each candidate's cached item part by index and adds the request part
 * in layer 0's epilogue, so the whole batch is one native call ({@code fn_mlp_forward_gather}):
 * candidate GEMM, the two additions, ReLU, the shared layer and the heads.
 * {@link #score} then combines the head probabilities with the request's {@link ObjectiveWeights}.
 *
 * <p>Threading: {@link #score} is thread-safe (per-thread scratch). {@link #close} frees the
 * native model after in-flight scores finish (see {@link QuantizedMlp#close}).
 * Lifecycle: created per model version by {@link RankerRegistry}; closed when replaced and drained.
 */
public final class Int8Ranker implements Ranker {
    private final RankerModel model;
    private final FeedModel feed;
    private final FeatureAssembler assembler;
    private final QuantizedMlp mlp;
    private final ItemPartials partials;
    private final int hidden;
    private final IntConsumer itemListener;
    private final ThreadLocal<Scratch> scratch;
    private final Int8Gemm gemm = Int8Gemm.get();
    private final int requestWidth;
    /** The request scope's first-layer weights, output-major (hidden x requestWidth), for the GEMV. */
    private final MemorySegment requestWeights;

    /**
     * Loads {@code model} over {@code feed}: quantizes it and computes the item cache for the
     * whole catalogue ({@code progress} gets items done).
     *
     * @throws IllegalArgumentException if the model's feature schema does not fit {@code feed}
     */
    public Int8Ranker(RankerModel model, FeedModel feed, IntConsumer progress) {
        this.model = model;
        this.feed = feed;
        this.assembler = new FeatureAssembler(model.schema(), feed);
        this.hidden = model.hidden1();
        this.mlp = QuantizedMlp.create(model.candidateLayers(), RankerModel.OUTPUT_LAYER);
        this.partials = new ItemPartials(model, assembler);
        partials.computeAll(feed.catalog().size(), progress);
        this.itemListener = partials::refresh;
        feed.onItemChanged(itemListener);
        this.requestWidth = model.schema().width(FeatureScope.REQUEST);
        this.requestWeights = Arena.ofAuto().allocate((long) hidden * requestWidth * Float.BYTES, 64);
        MemorySegment.copy(model.scopeWeightsOutputMajor(FeatureScope.REQUEST), 0, requestWeights, ValueLayout.JAVA_FLOAT, 0,
                hidden * requestWidth);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(hidden, requestWidth, mlp));
    }

    @Override
    public RankerModel model() {
        return model;
    }

    @Override
    public String version() {
        return model.version();
    }

    @Override
    public FeatureAssembler assembler() {
        return assembler;
    }

    /** Bytes of packed int8 weights. */
    public long weightBytes() {
        return mlp.weightBytes();
    }

    /** Bytes of the per-item first-layer cache. */
    public long itemCacheBytes() {
        return partials.bytes();
    }

    /**
     * Scores {@code n} candidates whose features {@link #assembler()} has written into {@code r}
     * ({@link FeatureAssembler#loadRequest}, then {@link FeatureAssembler#writeCandidates} with
     * the same items): runs the int8 model in one native call, and writes each candidate's
     * combined score to {@code scores[i]} and its head logits to {@code logits[i * heads + h]}
     * (when not null).
     */
    @Override
    public void score(RequestFeatures r, int[] items, int n, ObjectiveWeights weights, HeadCalibration calibration,
                      float[] scores, float[] logits) {
        if (n == 0) {
            return;
        }
        Scratch s = scratch.get();
        s.ensure(n);
        // The request part: one native float GEMV over the request block (4.7k inputs).
        MemorySegment.copy(r.block, 0, s.requestBlock, ValueLayout.JAVA_FLOAT, 0, requestWidth);
        gemm.gemmF32(s.requestBlock, 1, requestWidth, requestWidth, requestWeights, hidden, requestWidth, null,
                Int8Gemm.Activation.NONE, s.shared, hidden);
        MemorySegment.copy(items, 0, s.index, ValueLayout.JAVA_INT, 0, n);
        ItemPartials.Table table = partials.tableFor(items, n);
        int heads = Objective.COUNT;
        // One native call: candidate GEMM, + the item part gathered by index + the request part, ReLU, the rest.
        mlp.forwardGather(r.candidates, n, r.candidateWidth(), table.rows(), hidden, table.capacity(), s.index, s.shared,
                s.mlpScratch, s.out, heads);
        MemorySegment.copy(s.out, ValueLayout.JAVA_FLOAT, 0, s.logits, 0, n * heads);
        for (int i = 0; i < n; i++) {
            scores[i] = calibration.combine(weights, s.logits, i * heads);
        }
        if (logits != null) {
            System.arraycopy(s.logits, 0, logits, 0, n * heads);
        }
    }

    @Override
    public void close() {
        feed.removeItemListener(itemListener);
        mlp.close();
    }

    /** Per-thread buffers, grown to the largest batch seen. */
    private static final class Scratch {
        final QuantizedMlp mlp;
        final int hidden;
        final MemorySegment shared;
        final MemorySegment requestBlock;
        MemorySegment index;
        MemorySegment mlpScratch;
        MemorySegment out;
        float[] logits;
        int capacity;

        Scratch(int hidden, int requestWidth, QuantizedMlp mlp) {
            this.hidden = hidden;
            this.mlp = mlp;
            shared = Arena.ofAuto().allocate((long) hidden * Float.BYTES, 64);
            requestBlock = Arena.ofAuto().allocate((long) requestWidth * Float.BYTES, 64);
        }

        void ensure(int n) {
            if (n <= capacity) {
                return;
            }
            int size = Math.max(n, 256);
            Arena arena = Arena.ofAuto();
            index = arena.allocate((long) size * Integer.BYTES, 64);
            mlpScratch = arena.allocate(mlp.scratchBytes(size), 64);
            out = arena.allocate((long) size * Objective.COUNT * Float.BYTES, 64);
            logits = new float[size * Objective.COUNT];
            capacity = size;
        }
    }
}
