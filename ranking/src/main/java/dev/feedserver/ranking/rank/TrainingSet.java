package dev.feedserver.ranking.rank;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Logged ranking examples grouped by query: for each logged impression (a feed request at the
 * moment a user interacted), the request block once, then each shown candidate's item row,
 * CANDIDATE block and label mask ({@link Objective} bits). Item blocks are stored once per item.
 * This is the split layout the trainer needs: the request part of the first layer is computed
 * once per query, as in serving.
 *
 * <p>Threading: build on one thread ({@link ExampleCollector}), then read-only.
 */
public final class TrainingSet {
    private final FeatureSchema schema;
    private final int candidateWidth;
    private final List<float[]> requests = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private int[] queryStart = new int[1024];
    private int[] items = new int[16_384];
    private byte[] labels = new byte[16_384];
    private float[] candidates;
    private final Map<Integer, float[]> itemBlocks = new HashMap<>();
    private int examples;

    public TrainingSet(FeatureSchema schema) {
        this.schema = schema;
        this.candidateWidth = schema.width(FeatureScope.CANDIDATE);
        this.candidates = new float[16_384 * candidateWidth];
    }

    public FeatureSchema schema() {
        return schema;
    }

    /** Starts a query with its request block (copied) and time. */
    public void beginQuery(float[] requestBlock, long timeMillis) {
        if (requests.size() + 1 >= queryStart.length) {
            queryStart = Arrays.copyOf(queryStart, queryStart.length * 2);
        }
        queryStart[requests.size()] = examples;
        requests.add(requestBlock.clone());
        times.add(timeMillis);
        queryStart[requests.size()] = examples;
    }

    /** Adds one candidate of the current query. */
    public void addExample(int item, float[] candidateBlock, int offset, int labelMask, float[] itemBlock) {
        if (requests.isEmpty()) {
            throw new IllegalStateException("addExample before beginQuery");
        }
        if (examples == items.length) {
            items = Arrays.copyOf(items, examples * 2);
            labels = Arrays.copyOf(labels, examples * 2);
            candidates = Arrays.copyOf(candidates, examples * 2 * candidateWidth);
        }
        items[examples] = item;
        labels[examples] = (byte) labelMask;
        System.arraycopy(candidateBlock, offset, candidates, examples * candidateWidth, candidateWidth);
        itemBlocks.computeIfAbsent(item, k -> itemBlock.clone());
        examples++;
        queryStart[requests.size()] = examples;
    }

    public int queries() {
        return requests.size();
    }

    public int examples() {
        return examples;
    }

    float[] request(int query) {
        return requests.get(query);
    }

    long time(int query) {
        return times.get(query);
    }

    int start(int query) {
        return queryStart[query];
    }

    int end(int query) {
        return queryStart[query + 1];
    }

    int item(int example) {
        return items[example];
    }

    int labels(int example) {
        return labels[example];
    }

    float[] candidateArray() {
        return candidates;
    }

    /** Item of every example, by example index (the array may be longer than {@link #examples()}). */
    int[] itemArray() {
        return items;
    }

    /** The items whose ITEM blocks the set holds, ascending. */
    int[] storedItems() {
        return itemBlocks.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    int candidateWidth() {
        return candidateWidth;
    }

    float[] itemBlock(int item) {
        return itemBlocks.get(item);
    }

    /** Positive examples per objective. */
    public int[] positives() {
        int[] out = new int[Objective.COUNT];
        for (int e = 0; e < examples; e++) {
            for (Objective o : Objective.values()) {
                if ((labels[e] & o.bit()) != 0) {
                    out[o.ordinal()]++;
                }
            }
        }
        return out;
    }

    /** Writes example {@code e}'s dense row (request, item, candidate blocks) into {@code out}. */
    public void denseRow(int query, int e, float[] out) {
        int request = schema.width(FeatureScope.REQUEST);
        int item = schema.width(FeatureScope.ITEM);
        System.arraycopy(requests.get(query), 0, out, 0, request);
        System.arraycopy(itemBlocks.get(items[e]), 0, out, request, item);
        System.arraycopy(candidates, e * candidateWidth, out, request + item, candidateWidth);
    }
}
