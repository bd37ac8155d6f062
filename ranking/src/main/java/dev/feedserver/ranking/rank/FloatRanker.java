package dev.feedserver.ranking.rank;

import dev.feedserver.ranking.feed.FeedModel;

/**
 * The float reference ranker: the same features and model as {@link Int8Ranker}, computed in
 * float in Java (the split first layer, {@link RankerModel#partial} per scope, then
 * {@link RankerModel#forwardFromFirstLayer}). Orders of magnitude slower; it exists so the int8
 * path's quality loss can be measured on the same requests ({@code eval}, {@code model-eval}).
 *
 * <p>Threading: thread-safe (per-thread scratch). Lifecycle: nothing to free.
 */
public final class FloatRanker implements Ranker {
    private final RankerModel model;
    private final FeatureAssembler assembler;
    private final ThreadLocal<float[][]> scratch;

    public FloatRanker(RankerModel model, FeedModel feed) {
        this.model = model;
        this.assembler = new FeatureAssembler(model.schema(), feed);
        int itemWidth = model.schema().width(FeatureScope.ITEM);
        int candidateWidth = model.schema().width(FeatureScope.CANDIDATE);
        scratch = ThreadLocal.withInitial(() -> new float[][] {
            new float[model.hidden1()], new float[model.hidden1()], new float[model.hidden1()], new float[model.hidden1()],
            new float[itemWidth], new float[candidateWidth], new float[model.hidden2()], new float[Objective.COUNT]});
    }

    @Override
    public RankerModel model() {
        return model;
    }

    @Override
    public FeatureAssembler assembler() {
        return assembler;
    }

    @Override
    public void score(RequestFeatures r, int[] items, int n, ObjectiveWeights weights, HeadCalibration calibration,
                      float[] scores, float[] logits) {
        float[][] s = scratch.get();
        float[] request = s[0];
        float[] itemPart = s[1];
        float[] candidatePart = s[2];
        float[] pre = s[3];
        float[] itemBlock = s[4];
        float[] candidateBlock = s[5];
        float[] head = s[7];
        model.partial(FeatureScope.REQUEST, r.block, 0, request);
        for (int i = 0; i < n; i++) {
            assembler.writeItem(items[i], itemBlock, 0);
            model.partial(FeatureScope.ITEM, itemBlock, 0, itemPart);
            FeatureAssembler.readCandidate(r, i, candidateBlock, 0);
            model.partial(FeatureScope.CANDIDATE, candidateBlock, 0, candidatePart);
            for (int j = 0; j < pre.length; j++) {
                pre[j] = request[j] + itemPart[j] + candidatePart[j];
            }
            model.forwardFromFirstLayer(pre, head, s[6]);
            scores[i] = calibration.combine(weights, head, 0);
            if (logits != null) {
                System.arraycopy(head, 0, logits, i * Objective.COUNT, Objective.COUNT);
            }
        }
    }

    @Override
    public void close() {
    }
}
