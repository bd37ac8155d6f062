package dev.feedserver.ranking.feed;

import dev.feedserver.ranking.retrieval.IvfInterestIndex;

/**
 * How the feed model indexes the catalogue for interest retrieval, and when it rebuilds its
 * indexes (interest index and latent clusters) in the background.
 *
 * @param mode           which interest index to use
 * @param exactUpTo      in {@link Mode#AUTO}, catalogues up to this many items are scanned exactly
 *                       (faster than any index there, and perfect recall)
 * @param ivf            parameters of the IVF index
 * @param rebuildGrowth  rebuild when the catalogue has grown, or had removed, this share of the
 *                       items it had at the last build (new items are indexed at once either way;
 *                       a rebuild re-centres partitions and clusters and compacts removals)
 */
public record IndexConfig(Mode mode, int exactUpTo, IvfInterestIndex.Config ivf, double rebuildGrowth) {
    /** Interest index choice. */
    public enum Mode {
        /** Exact up to {@code exactUpTo} items, IVF above (re-decided at each rebuild). */
        AUTO,
        /** Always the exact scan. */
        EXACT,
        /** Always the IVF index. */
        IVF
    }

    public static final IndexConfig DEFAULT = new IndexConfig(Mode.AUTO, 50_000, IvfInterestIndex.Config.defaults(), 0.20);

    public IndexConfig {
        if (mode == null || ivf == null) {
            throw new IllegalArgumentException("index mode and IVF config are required");
        }
        if (exactUpTo < 0) {
            throw new IllegalArgumentException("exactUpTo must be >= 0, got " + exactUpTo);
        }
        if (!(rebuildGrowth > 0 && rebuildGrowth <= 100)) {
            throw new IllegalArgumentException("rebuildGrowth must be in (0, 100], got " + rebuildGrowth);
        }
    }

    /** True when a catalogue of {@code items} items should use the IVF index. */
    boolean useIvf(int items) {
        return mode == Mode.IVF || (mode == Mode.AUTO && items > exactUpTo);
    }
}
