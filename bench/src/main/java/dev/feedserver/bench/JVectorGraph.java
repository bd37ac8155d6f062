package dev.feedserver.bench;

import dev.feedserver.embeddings.VectorTable;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A JVector graph index (Vamana, of the DiskANN family, with an HNSW-style hierarchy) built in
 * memory over a snapshot of rows {@code [0, items)} of a vector table, searched through
 * {@link JVectorInterestIndex}.
 *
 * <p><b>Inner products through cosine.</b> JVector's {@code DOT_PRODUCT} similarity assumes unit
 * vectors, and item vectors are not unit length. The build applies the standard reduction of
 * maximum inner product search to cosine: every item is divided by the largest item norm
 * {@code M} and gets one more coordinate {@code sqrt(1 - |x/M|^2)}, so all are unit length; a
 * query is normalised and gets a 0. Then {@code q'.x' = q.x / (|q| M)}: the same order as the
 * inner product, so the true top-k is unchanged, and the inner product is recovered from JVector's
 * score {@code s = (1 + q'.x') / 2} as {@code q.x = (2s - 1) |q| M}.
 *
 * <p>{@link Space#RAW} skips the reduction and gives JVector the raw vectors, outside its
 * unit-length assumption, for comparison: the reduction puts every small-norm item near one pole
 * of the sphere and spreads the large-norm items (the inner-product answers) around its equator,
 * and on unstructured data the graph's diversity pruning can leave many of those with no incoming
 * edge at all, so that no search reaches them.
 *
 * <p>Threading: {@link #build} runs on a private {@link ForkJoinPool} of the given size, shut
 * down before it returns. A built graph is immutable; {@link #searcher} may be called, and the
 * indexes it returns used, from any thread. Lifecycle: heap only (JVector's copy of the reduced
 * vectors and the adjacency lists), reclaimed by garbage collection.
 */
final class JVectorGraph implements IndexUnderTest.Sized {
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;
    private static final VectorTypeSupport VECTORS = VectorizationProvider.getInstance().getVectorTypeSupport();
    private static final long PROGRESS_SECONDS = 5;

    /** What JVector indexes: the cosine reduction of the vectors, or the raw vectors (outside its unit-length assumption). */
    enum Space {
        REDUCED, RAW
    }

    /** {@code GraphIndexBuilder} parameters: maximum degree M, construction beam width, overflow, alpha, hierarchy. */
    record Parameters(int maxDegree, int beamWidth, float neighborOverflow, float alpha, boolean hierarchy) {
    }

    private final ImmutableGraphIndex graph;
    private final RandomAccessVectorValues vectors;
    private final int dim;
    private final boolean reduction;
    private final float maxNorm;

    private JVectorGraph(ImmutableGraphIndex graph, RandomAccessVectorValues vectors, int dim, boolean reduction, float maxNorm) {
        this.graph = graph;
        this.vectors = vectors;
        this.dim = dim;
        this.reduction = reduction;
        this.maxNorm = maxNorm;
    }

    /** Copies (and reduces) the rows, then inserts them concurrently on {@code threads} workers. */
    static JVectorGraph build(VectorTable table, int items, Space space, Parameters p, int threads,
                              IndexUnderTest.BuildProgress progress)
            throws IOException, InterruptedException, ExecutionException {
        int dim = table.dim();
        boolean reduction = space == Space.REDUCED;
        ThreadLocal<float[]> row = ThreadLocal.withInitial(() -> new float[dim]);
        float maxNorm = !reduction ? 1 : (float) Math.max(Float.MIN_NORMAL, IntStream.range(0, items).parallel().mapToDouble(i -> {
            table.read(i, row.get());
            return norm(row.get(), dim);
        }).max().orElse(1));
        int indexedDim = reduction ? dim + 1 : dim;
        VectorFloat<?>[] indexed = new VectorFloat<?>[items];
        IntStream.range(0, items).parallel().forEach(i -> {
            float[] x = new float[dim];
            table.read(i, x);
            indexed[i] = VECTORS.createFloatVector(reduction ? reduceItem(x, dim, maxNorm) : x);
        });
        RandomAccessVectorValues vectors = new ListRandomAccessVectorValues(Arrays.asList(indexed), indexedDim);

        ForkJoinPool pool = new ForkJoinPool(threads);
        try (GraphIndexBuilder builder = new GraphIndexBuilder(BuildScoreProvider.randomAccessScoreProvider(vectors, SIMILARITY),
                indexedDim, p.maxDegree(), p.beamWidth(), p.neighborOverflow(), p.alpha(), p.hierarchy(), true, pool, pool)) {
            AtomicInteger added = new AtomicInteger();
            ForkJoinTask<?> inserts = pool.submit(() -> IntStream.range(0, items).parallel().forEach(i -> {
                builder.addGraphNode(i, vectors.getVector(i));
                added.incrementAndGet();
            }));
            while (true) {
                try {
                    inserts.get(PROGRESS_SECONDS, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    progress.update(added.get(), items);
                }
            }
            builder.cleanup();
            return new JVectorGraph(builder.getGraph(), vectors, dim, reduction, maxNorm);
        } finally {
            pool.shutdown();
        }
    }

    /** An interest index over this graph that keeps the best {@code rerankK} candidates while searching. */
    JVectorInterestIndex searcher(int rerankK, boolean pruning) {
        return new JVectorInterestIndex(this, rerankK, pruning);
    }

    ImmutableGraphIndex graph() {
        return graph;
    }

    RandomAccessVectorValues vectors() {
        return vectors;
    }

    /** Adjacency lists (JVector's own estimate) plus the indexed float vectors. */
    @Override
    public long bytes() {
        return graph.ramBytesUsed() + (long) vectors.size() * vectors.dimension() * Float.BYTES;
    }

    /**
     * The query as JVector searches it ({@code [q / |q|, 0]} under the reduction, else {@code q}),
     * and in {@code scaleOut[0]} the factor that turns {@code 2s - 1} back into {@code q.x}.
     */
    VectorFloat<?> query(float[] query, float[] scaleOut) {
        if (!reduction) {
            scaleOut[0] = 1;
            return VECTORS.createFloatVector(Arrays.copyOf(query, dim));
        }
        float norm = norm(query, dim);
        float[] out = new float[dim + 1];
        float inverse = norm > 0 ? 1 / norm : 0;
        for (int d = 0; d < dim; d++) {
            out[d] = query[d] * inverse;
        }
        scaleOut[0] = norm * maxNorm;
        return VECTORS.createFloatVector(out);
    }

    private static float[] reduceItem(float[] x, int dim, float maxNorm) {
        float[] out = new float[dim + 1];
        double squared = 0;
        for (int d = 0; d < dim; d++) {
            out[d] = x[d] / maxNorm;
            squared += (double) out[d] * out[d];
        }
        out[dim] = (float) Math.sqrt(Math.max(0, 1 - squared));
        return out;
    }

    private static float norm(float[] x, int dim) {
        double squared = 0;
        for (int d = 0; d < dim; d++) {
            squared += (double) x[d] * x[d];
        }
        return (float) Math.sqrt(squared);
    }
}
