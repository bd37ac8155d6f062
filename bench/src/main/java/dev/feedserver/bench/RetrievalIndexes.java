package dev.feedserver.bench;

import dev.feedserver.ranking.retrieval.ExactInterestIndex;
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

        // ---- The project's IVF index goes here, once dev.feedserver.ranking.retrieval.IvfInterestIndex exists. ----
        // One build per dataset, one setting per number of probed partitions, for example:
        //
        // indexes.add(new IndexUnderTest<>("ivf", "partitions=4096, int8 codes",
        //         (table, items, progress) -> IvfInterestIndex.build(table, items, 4096),
        //         List.of(new IndexUnderTest.Setting<>("nprobe16", ivf -> ivf.withProbes(16)),
        //                 new IndexUnderTest.Setting<>("nprobe64", ivf -> ivf.withProbes(64)))));
        //
        // (Use the real factory and setter names; a build that knows its own memory may implement
        // IndexUnderTest.Sized, and may report progress through the third argument.)

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
}
