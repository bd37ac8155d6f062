package dev.feedserver.onnx.mlp;

import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.RankerModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ranker's own metadata properties in an exported model: its version string (ONNX's
 * {@code model_version} is a number), its default objective weights, and the five
 * {@link FeatureSchema} numbers, so an import rebuilds the schema (and with it the input layout)
 * without the original model file.
 *
 * <pre>
 *   feedserver.ranker.version             e.g. ranker-20261129T1402-movielens
 *   feedserver.ranker.objective_weights   click:1.0,like:0.5,long_dwell:0.25,negative:-1.0
 *   feedserver.schema.factor_dim, .content_dim, .clusters, .history_length, .tag_buckets
 * </pre>
 *
 * <p>Threading: stateless static helpers.
 */
final class RankerOnnxMetadata {

    static final String VERSION = "feedserver.ranker.version";
    static final String OBJECTIVE_WEIGHTS = "feedserver.ranker.objective_weights";
    static final String FACTOR_DIM = "feedserver.schema.factor_dim";
    static final String CONTENT_DIM = "feedserver.schema.content_dim";
    static final String CLUSTERS = "feedserver.schema.clusters";
    static final String HISTORY_LENGTH = "feedserver.schema.history_length";
    static final String TAG_BUCKETS = "feedserver.schema.tag_buckets";

    private static final String[] SCHEMA_KEYS = {FACTOR_DIM, CONTENT_DIM, CLUSTERS, HISTORY_LENGTH, TAG_BUCKETS};

    private RankerOnnxMetadata() {
    }

    /** The properties of {@code model}, in the order above. */
    static Map<String, String> of(RankerModel model) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(VERSION, model.version());
        out.put(OBJECTIVE_WEIGHTS, model.defaultWeights().toString());
        FeatureSchema s = model.schema();
        int[] numbers = {s.factorDim(), s.contentDim(), s.clusters(), s.historyLength(), s.tagBuckets()};
        for (int i = 0; i < SCHEMA_KEYS.length; i++) {
            out.put(SCHEMA_KEYS[i], Integer.toString(numbers[i]));
        }
        return out;
    }

    /**
     * The stored schema; empty when none of its keys is present.
     *
     * @throws IllegalArgumentException if only some keys are present or a value is not a valid size
     */
    static Optional<FeatureSchema> schema(Map<String, String> metadata) {
        int present = 0;
        for (String key : SCHEMA_KEYS) {
            present += metadata.containsKey(key) ? 1 : 0;
        }
        if (present == 0) {
            return Optional.empty();
        }
        int[] n = new int[SCHEMA_KEYS.length];
        for (int i = 0; i < SCHEMA_KEYS.length; i++) {
            String value = metadata.get(SCHEMA_KEYS[i]);
            if (value == null) {
                throw new IllegalArgumentException("metadata " + SCHEMA_KEYS[i] + " is missing; the feature schema needs "
                        + String.join(", ", SCHEMA_KEYS));
            }
            try {
                n[i] = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("metadata " + SCHEMA_KEYS[i] + " = '" + value + "' is not an integer");
            }
        }
        try {
            return Optional.of(new FeatureSchema(n[0], n[1], n[2], n[3], n[4]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata feedserver.schema.*: " + e.getMessage(), e);
        }
    }

    /** The stored version, or empty when absent or blank. */
    static Optional<String> version(Map<String, String> metadata) {
        return Optional.ofNullable(metadata.get(VERSION)).filter(v -> !v.isBlank());
    }

    /**
     * The stored default objective weights, or {@link ObjectiveWeights#DEFAULT} when absent.
     *
     * @throws IllegalArgumentException if the stored value does not parse
     */
    static ObjectiveWeights weights(Map<String, String> metadata) {
        String spec = metadata.get(OBJECTIVE_WEIGHTS);
        if (spec == null) {
            return ObjectiveWeights.DEFAULT;
        }
        try {
            return ObjectiveWeights.DEFAULT.with(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata " + OBJECTIVE_WEIGHTS + ": " + e.getMessage(), e);
        }
    }
}
