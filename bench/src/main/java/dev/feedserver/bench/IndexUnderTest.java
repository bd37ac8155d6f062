package dev.feedserver.bench;

import dev.feedserver.embeddings.VectorTable;
import dev.feedserver.ranking.retrieval.InterestIndex;
import java.util.List;
import java.util.function.Function;

/**
 * One interest index in the retrieval suite: how to build it over rows {@code [0, items)} of a
 * vector table (once per dataset, timed), and the settings it is searched at (each an
 * {@link InterestIndex} over the same build, for example one per beam width or per number of
 * probed partitions). {@code B} is whatever the build produces: the index itself, or a shared
 * structure that each setting wraps.
 *
 * <p>Immutable; the suite calls {@link Builder#build} and the settings' functions on its own
 * thread, one dataset at a time, and drops the build before the next index is built.
 *
 * @param name            short index name for tables and metric names (for example {@code "jvector"})
 * @param buildParameters the build parameters in words, recorded in the result file
 */
record IndexUnderTest<B>(String name, String buildParameters, Builder<B> builder, List<Setting<B>> settings) {

    IndexUnderTest {
        if (settings.isEmpty()) {
            throw new IllegalArgumentException(name + ": at least one setting");
        }
    }

    /** An index whose build is all there is to it: one setting, the built index itself. */
    static IndexUnderTest<InterestIndex> single(String name, String setting, String buildParameters,
                                                Builder<InterestIndex> builder) {
        return new IndexUnderTest<>(name, buildParameters, builder, List.of(new Setting<>(setting, index -> index)));
    }

    /** Builds over rows {@code [0, items)} of {@code table}, reporting progress when it can. */
    @FunctionalInterface
    interface Builder<B> {
        B build(VectorTable table, int items, BuildProgress progress) throws Exception;
    }

    /** A search-time setting: a label for tables and metric names, and the index it gives over a build. */
    record Setting<B>(String label, Function<B, InterestIndex> index) {
    }

    /** Build progress in items; called from the building thread, at most every few seconds. */
    @FunctionalInterface
    interface BuildProgress {
        void update(long done, long total);
    }

    /** Implemented by builds that can say how many bytes they hold beyond the shared vector table. */
    interface Sized {
        long bytes();
    }
}
