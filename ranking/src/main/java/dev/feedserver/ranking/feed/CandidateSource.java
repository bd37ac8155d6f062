package dev.feedserver.ranking.feed;

/** Bit flags naming where a candidate came from; a candidate may carry several. */
public final class CandidateSource {
    public static final byte INTEREST = 1;
    public static final byte POPULAR = 2;
    public static final byte TRENDING = 4;
    public static final byte FRESH = 8;
    public static final byte CLUSTER = 16;
    /** Every flag, in bit order (the ranker's source features follow it). */
    public static final byte[] ALL = {INTEREST, POPULAR, TRENDING, FRESH, CLUSTER};
    private static final String[] NAMES = {"interest", "popular", "trending", "fresh", "cluster"};

    private CandidateSource() {
    }

    /** Human name of a flag set, e.g. {@code "interest+popular"}, in a fixed order. */
    public static String describe(byte flags) {
        StringBuilder out = new StringBuilder();
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                out.append(out.isEmpty() ? "" : "+").append(NAMES[bit]);
            }
        }
        return out.isEmpty() ? "none" : out.toString();
    }
}
