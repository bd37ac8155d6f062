package dev.feedserver.ranking.rank;

/**
 * Scores a batch of candidates whose features its {@link #assembler()} has written: the
 * served {@link Int8Ranker}, or the {@link FloatRanker} reference it is measured against.
 *
 * <p>Threading: implementations are thread-safe. Lifecycle: {@link #close} frees what the
 * ranker holds; the {@link RankerRegistry} closes a replaced ranker once no request uses it.
 */
public interface Ranker extends AutoCloseable {

    /** The model this ranker runs. */
    RankerModel model();

    /** The model's version. */
    default String version() {
        return model().version();
    }

    /** The assembler whose buffers {@link #score} reads. */
    FeatureAssembler assembler();

    /**
     * Scores {@code n} candidates ({@link FeatureAssembler#loadRequest}, then
     * {@link FeatureAssembler#writeCandidates} with the same items, on {@code r}): each
     * candidate's score, its heads through {@code calibration} combined by {@code weights}, into
     * {@code scores[i]} and, when {@code logits} is not null, its raw head logits into
     * {@code logits[i * Objective.COUNT + h]}.
     */
    void score(RequestFeatures r, int[] items, int n, ObjectiveWeights weights, HeadCalibration calibration,
               float[] scores, float[] logits);

    @Override
    void close();
}
