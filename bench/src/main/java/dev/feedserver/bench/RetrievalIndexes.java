package dev.feedserver.bench;

import dev.feedserver.ranking.retrieval.ExactInterestIndex;
import dev.feedserver.ranking.retrieval.IvfInterestIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The indexes the retrieval suite measures, in order, all over the same vectors in the same run:
 * the exact scan first (its results are also the ground truth), then the approximate indexes.
 * To add an index, add one entry to {@link #all}: a name, its build, and its search settings.
 * Stateless.
 */
final class RetrievalIndexes {
    private RetrievalIndexes() {
    }

    /** The JVector variants (one index each), their build parameters and search list sizes (multiples of k). */
    record JVectorOptions(List<JVectorGraph.Space> spaces, JVectorGraph.Parameters build, List<Integer> rerankMultiples,
                          boolean pruning, int threads) {
    }

    static List<IndexUnderTest<?>> all(int k, JVectorOptions jvector) {
        List<IndexUnderTest<?>> indexes = new ArrayList<>();
        indexes.add(IndexUnderTest.single("exact-f32", "scan", "none: a native batched float dot-product scan of the table",
                (table, items, progress) -> new ExactInterestIndex(table, () -> items)));

        // The project's IVF index: one build per dataset, searched at several scan budgets (items
        // scanned = factor x k), the default (16) also with exact float re-scoring of a 1.5k shortlist.
        IvfInterestIndex.Config ivf = IvfInterestIndex.Config.defaults();
        List<IndexUnderTest.Setting<IvfBuild>> budgets = new ArrayList<>();
        for (float factor : new float[] {4, 8, 16, 32}) {
            budgets.add(new IndexUnderTest.Setting<>(String.format(Locale.ROOT, "scan%.0fk", factor),
                    build -> build.index().searchingWith(factor, 0f)));
        }
        budgets.add(new IndexUnderTest.Setting<>("scan16k-rescore", build -> build.index().searchingWith(16f, 1.5f)));
        indexes.add(new IndexUnderTest<>("ivf",
                String.format(Locale.ROOT, "round(sqrt(items/%d)) directions (spherical k-means, %d iterations on <= %,d sampled items) x %d norm bands, int8 codes with per-item scale",
                        ivf.normBands(), ivf.iterations(), ivf.trainingSample(), ivf.normBands()),
                (table, items, progress) -> new IvfBuild(IvfInterestIndex.build(table, items, ivf, 1)),
                budgets));
        // Exact search on the native int8 kernels: the same codes in one partition, all scanned.
        indexes.add(new IndexUnderTest<>("int8-scan", "one partition holding every item's int8 code (per-item scale)",
                (table, items, progress) -> new IvfBuild(IvfInterestIndex.build(table, items, ivf.withDirections(1).withNormBands(1), 1)),
                List.of(new IndexUnderTest.Setting<>("scan", build -> build.index().searchingWith(Float.MAX_VALUE, 0f)))));

        List<IndexUnderTest.Setting<JVectorGraph>> beams = new ArrayList<>();
        for (int multiple : jvector.rerankMultiples()) {
            int rerankK = multiple * k;
            beams.add(new IndexUnderTest.Setting<>("rerank" + rerankK + (jvector.pruning() ? "" : "-nopruning"),
                    graph -> graph.searcher(rerankK, jvector.pruning())));
        }
        JVectorGraph.Parameters p = jvector.build();
        for (JVectorGraph.Space space : jvector.spaces()) {
            String name = space == JVectorGraph.Space.REDUCED ? "jvector" : "jvector-raw";
            indexes.add(new IndexUnderTest<>(name,
                    String.format(Locale.ROOT, "M=%d, beamWidth=%d, neighborOverflow=%.2f, alpha=%.2f, hierarchy=%b, %d build threads; %s",
                            p.maxDegree(), p.beamWidth(), p.neighborOverflow(), p.alpha(), p.hierarchy(), jvector.threads(),
                            space == JVectorGraph.Space.REDUCED
                                    ? "DOT_PRODUCT over the MIPS-to-cosine reduction (details.jvector.reduction)"
                                    : "DOT_PRODUCT over the raw, non-unit vectors"),
                    (table, items, progress) -> JVectorGraph.build(table, items, space, p, jvector.threads(), progress),
                    beams));
        }
        return indexes;
    }

    /** An IVF build as the suite sees it: the index, and the memory it holds beyond the vector table. */
    record IvfBuild(IvfInterestIndex index) implements IndexUnderTest.Sized {
        @Override
        public long bytes() {
            return index.bytes();
        }
    }
}
