package dev.feedserver.ranking.feed;

import dev.feedserver.ranking.retrieval.IvfInterestIndex;

/**
 * How the feed model indexes the catalogue for interest retrieval, and when it rebuilds its
 * indexes (interest index and latent clusters) in the background.
 *
 * <p>{@link Mode#AUTO} follows the retrieval benchmark (docs/retrieval.md): the exact float scan
 * is fastest and perfect for small catalogues; the int8 scan (every item's int8 code, one native
 * call) halves the memory read and keeps recall above 0.99 up to a few hundred thousand items; the
 * IVF index scans a fixed budget of items, so it alone stays sub-millisecond at a million, but
 * its recall needs the catalogue's clusters to be large next to the 1,300 items asked for, which
 * smaller catalogues do not give it.
 *
 * @param mode           which interest index to use
 * @param exactUpTo      in AUTO, catalogues up to this many items get the exact float scan
 * @param int8ScanUpTo   in AUTO, catalogues up to this many items (and above {@code exactUpTo}) get the int8 scan
 * @param ivf            parameters of the IVF index
 * @param rebuildGrowth  rebuild when the catalogue has grown, or had removed, this share of the
 *                       items it had at the last build (new items are indexed at once either way;
 *                       a rebuild re-centres partitions and clusters, compacts removals and
 *                       re-decides the AUTO choice)
 */
public record IndexConfig(Mode mode, int exactUpTo, int int8ScanUpTo, IvfInterestIndex.Config ivf, double rebuildGrowth) {
    /** Interest index choice. */
    public enum Mode {
        /** By catalogue size: exact float scan, then int8 scan, then IVF. */
        AUTO,
        /** Always the exact float scan. */
        EXACT,
        /** Always the int8 scan of every item. */
        INT8_SCAN,
        /** Always the IVF index. */
        IVF
    }

    public static final IndexConfig DEFAULT = new IndexConfig(Mode.AUTO, 20_000, 200_000, IvfInterestIndex.Config.defaults(), 0.20);

    public IndexConfig {
        if (mode == null || ivf == null) {
            throw new IllegalArgumentException("index mode and IVF config are required");
        }
        if (exactUpTo < 0 || int8ScanUpTo < 0) {
            throw new IllegalArgumentException("exactUpTo and int8ScanUpTo must be >= 0, got " + exactUpTo + " and " + int8ScanUpTo);
        }
        if (!(rebuildGrowth > 0 && rebuildGrowth <= 100)) {
            throw new IllegalArgumentException("rebuildGrowth must be in (0, 100], got " + rebuildGrowth);
        }
    }

    /** The index kind a catalogue of {@code items} items gets. */
    Mode modeFor(int items) {
        if (mode != Mode.AUTO) {
            return mode;
        }
        return items <= exactUpTo ? Mode.EXACT : items <= int8ScanUpTo ? Mode.INT8_SCAN : Mode.IVF;
    }
}
