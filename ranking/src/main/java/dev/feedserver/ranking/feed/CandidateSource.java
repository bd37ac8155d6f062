package dev.feedserver.ranking.feed;

/** Bit flags naming where a candidate came from; a candidate may carry several. */
public final class CandidateSource {
    public static final byte INTEREST = 1;
    public static final byte POPULAR = 2;

    private CandidateSource() {
    }

    /** Human name of a flag set, e.g. {@code "interest+popular"}. */
    public static String describe(byte flags) {
        return switch (flags) {
            case INTEREST -> "interest";
            case POPULAR -> "popular";
            case INTEREST | POPULAR -> "interest+popular";
            default -> "none";
        };
    }
}
