package dev.feedserver.bench;

import dev.feedserver.ranking.retrieval.InterestIndex;
import dev.feedserver.ranking.retrieval.ItemFilter;
import dev.feedserver.ranking.retrieval.TopK;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;

/**
 * Interest retrieval through a {@link JVectorGraph}: a beam search of the graph that keeps the
 * best {@code rerankK} candidates (JVector's {@code rerankK}; with exact scores it is the search
 * list size, so larger is slower and more accurate), of which the best {@code top.capacity()}
 * are offered to the caller's {@link TopK}, with their inner products recovered from JVector's
 * similarity (see {@link JVectorGraph}; the order is JVector's, the values carry float rounding).
 *
 * <p>A static snapshot for the benchmark: {@link #add} is unsupported (a JVector graph can take
 * new nodes, but not move one whose vector changed, and the cosine reduction fixes the largest
 * norm at build time); {@link #remove} leaves removed items to the caller's filter, like the
 * exact scan.
 *
 * <p>Threading: {@link #search} is thread-safe; each thread gets its own {@link GraphSearcher}
 * (JVector's searchers keep per-search scratch) from a {@link ThreadLocal}. Lifecycle: heap only.
 */
final class JVectorInterestIndex implements InterestIndex {
    private final JVectorGraph graph;
    private final int rerankK;
    private final ThreadLocal<GraphSearcher> searchers;

    /** {@code pruning}: JVector's early termination of the search (its default, on). */
    JVectorInterestIndex(JVectorGraph graph, int rerankK, boolean pruning) {
        this.graph = graph;
        this.rerankK = rerankK;
        this.searchers = ThreadLocal.withInitial(() -> {
            GraphSearcher searcher = new GraphSearcher(graph.graph());
            searcher.usePruning(pruning);
            return searcher;
        });
    }

    @Override
    public String name() {
        return "jvector";
    }

    @Override
    public void search(float[] query, ItemFilter filter, TopK top) {
        float[] toInnerProduct = new float[1];
        var scores = DefaultSearchScoreProvider.exact(graph.query(query, toInnerProduct), JVectorGraph.SIMILARITY, graph.vectors());
        Bits accept = item -> !filter.excludes(item);
        int k = Math.min(top.capacity(), rerankK);
        // Threshold -inf, not 0: without the reduction, similarities (1 + q.x) / 2 can be negative.
        SearchResult result = searchers.get().search(scores, k, rerankK, Float.NEGATIVE_INFINITY, 0f, accept);
        for (SearchResult.NodeScore node : result.getNodes()) {
            top.offer(node.node, (2 * node.score - 1) * toInnerProduct[0]);
        }
    }

    @Override
    public void add(int item) {
        throw new UnsupportedOperationException("the benchmark's JVector index is a snapshot built once; rebuild it to add items");
    }

    @Override
    public void remove(int item) {
        // The caller's filter leaves removed items out.
    }
}
