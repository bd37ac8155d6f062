package dev.feedserver.ranking.rank;

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
 *   pre0[i] = W_request^T x_request          once per request (float)
 *           + W_item^T x_item(i)             cached per item ({@link ItemPartials})
 *           + W_cand^T x_cand(i) + b0        int8 GEMM over the candidate batch
 * </pre>
 * The first two arrive as the native MLP's per-row addend, so the whole batch is one native call
 * ({@code fn_mlp_forward_add}): candidate GEMM, addend, ReLU, the shared layer and the heads.
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
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(hidden, mlp));
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
    public void score(RequestFeatures r, int[] items, int n, ObjectiveWeights weights, float[] scores, float[] logits) {
        if (n == 0) {
            return;
        }
        Scratch s = scratch.get();
        s.ensure(n);
        model.partial(FeatureScope.REQUEST, r.block, 0, s.requestPart);
        long rowBytes = (long) hidden * Float.BYTES;
        MemorySegment addend = s.addend;
        float[] request = s.requestPart;
        float[] row = s.row;
        for (int i = 0; i < n; i++) {
            // Add on heap arrays (it vectorises there, not on segment accesses), then one copy out.
            partials.addTo(items[i], request, row);
            MemorySegment.copy(row, 0, addend, ValueLayout.JAVA_FLOAT, i * rowBytes, hidden);
        }
        int heads = Objective.COUNT;
        mlp.forward(r.candidates, n, r.candidateWidth(), s.addend, hidden, s.mlpScratch, s.out, heads);
        MemorySegment.copy(s.out, ValueLayout.JAVA_FLOAT, 0, s.logits, 0, n * heads);
        for (int i = 0; i < n; i++) {
            scores[i] = weights.combine(s.logits, i * heads);
        }
        if (logits != null) {
            System.arraycopy(s.logits, 0, logits, 0, n * heads);
        }
    }

    @Override
    public void close() {
        feed.removeItemListener(itemListener);
        mlp.close();
        partials.close();
    }

    /** Per-thread buffers, grown to the largest batch seen. */
    private static final class Scratch {
        final float[] requestPart;
        final float[] row;
        final QuantizedMlp mlp;
        final int hidden;
        MemorySegment addend;
        MemorySegment mlpScratch;
        MemorySegment out;
        float[] logits;
        int capacity;

        Scratch(int hidden, QuantizedMlp mlp) {
            this.hidden = hidden;
            this.mlp = mlp;
            requestPart = new float[hidden];
            row = new float[hidden];
        }

        void ensure(int n) {
            if (n <= capacity) {
                return;
            }
            int size = Math.max(n, 256);
            Arena arena = Arena.ofAuto();
            addend = arena.allocate((long) size * hidden * Float.BYTES, 64);
            mlpScratch = arena.allocate(mlp.scratchBytes(size), 64);
            out = arena.allocate((long) size * Objective.COUNT * Float.BYTES, 64);
            logits = new float[size * Objective.COUNT];
            capacity = size;
        }
    }
}
