package dev.feedserver.ranking.rank;

/**
 * A {@link RankerModel} in float over logged examples, in Java: the split first layer
 * ({@link RankerModel#partial} per scope, summed request + item + candidate in that order), then
 * {@link RankerModel#forwardFromFirstLayer}: the arithmetic of {@link FloatRanker} and of the
 * trainer's validation pass, so its AUCs are the ones training reported. Each stored item's part
 * is computed once, at construction, as serving caches it (the value is the same either way).
 * The {@code fp8} form is this scorer over a model whose weights went through FP8
 * ({@link Fp8Weights}).
 *
 * <p>Threading: not thread-safe. Lifecycle: heap only; {@link #close} does nothing.
 */
public final class FloatScorer implements ExampleScorer {
    private final String name;
    private final RankerModel model;
    private final int candidateWidth;
    /** Item part by item id; null for items the set did not store. */
    private final float[][] itemParts;
    private final float[] requestPart;
    private final float[] candidatePart;
    private final float[] pre;
    private final float[] row;
    private final float[] hidden;
    private final float[] head = new float[Objective.COUNT];

    /** Scores {@code set}'s examples with {@code model}, reported as {@code name}. */
    public FloatScorer(String name, RankerModel model, TrainingSet set) {
        RankerModel.require(model.schema().equals(set.schema()), "the model's features " + model.schema().id()
                + " are not the training set's " + set.schema().id());
        this.name = name;
        this.model = model;
        this.candidateWidth = set.candidateWidth();
        int h1 = model.hidden1();
        int[] stored = set.storedItems();
        itemParts = new float[stored.length == 0 ? 0 : stored[stored.length - 1] + 1][];
        for (int item : stored) {
            itemParts[item] = new float[h1];
            model.partial(FeatureScope.ITEM, set.itemBlock(item), 0, itemParts[item]);
        }
        requestPart = new float[h1];
        candidatePart = new float[h1];
        pre = new float[h1];
        row = new float[candidateWidth];
        hidden = new float[model.hidden2()];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void score(float[] request, int[] items, float[] candidates, int first, int n, float[] logits) {
        model.partial(FeatureScope.REQUEST, request, 0, requestPart);
        for (int i = 0; i < n; i++) {
            float[] itemPart = itemParts[items[first + i]];
            System.arraycopy(candidates, (first + i) * candidateWidth, row, 0, candidateWidth);
            model.partial(FeatureScope.CANDIDATE, row, 0, candidatePart);
            for (int j = 0; j < pre.length; j++) {
                pre[j] = requestPart[j] + itemPart[j] + candidatePart[j];
            }
            model.forwardFromFirstLayer(pre, head, hidden);
            System.arraycopy(head, 0, logits, i * Objective.COUNT, Objective.COUNT);
        }
    }

    @Override
    public void close() {
    }
}
