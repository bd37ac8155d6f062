package dev.feedserver.onnx.mlp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an exported ranker model says about itself, stored in the ONNX model: the producer and
 * model version in the model's own fields, the head names and the feature schema id in its
 * metadata properties ({@link #HEAD_NAMES}, {@link #FEATURE_SCHEMA_ID}), and any further
 * properties the caller names (a ranker's version string, its feature schema's sizes).
 *
 * @param producer        who made the model (ONNX {@code producer_name}), non-empty
 * @param modelVersion    the model's version (ONNX {@code model_version}), {@code >= 0}
 * @param headNames       one name per output layer, in output order, or empty when unnamed;
 *                        names are non-empty and contain no comma
 * @param featureSchemaId the id of the feature layout the model's input expects, or empty
 * @param properties      further metadata properties, written in iteration order after the
 *                        exporter's own; keys non-empty and none of the exporter's keys
 *                        ({@link #RESERVED}); on import, every property outside {@link #RESERVED}
 */
public record MlpExportInfo(String producer, long modelVersion, List<String> headNames, String featureSchemaId,
                            Map<String, String> properties) {

    /** Metadata key: the head names, comma-separated, one per output layer. */
    public static final String HEAD_NAMES = "feedserver.head_names";
    /** Metadata key: each head's output width, comma-separated, so names map to output columns. */
    public static final String HEAD_WIDTHS = "feedserver.head_widths";
    /** Metadata key: the feature schema id. */
    public static final String FEATURE_SCHEMA_ID = "feedserver.feature_schema_id";
    /** Metadata key: {@code float} or {@code int8}, the form the exporter wrote. */
    public static final String FORM = "feedserver.form";
    /** The keys the exporter writes itself; {@link #properties} may not use them. */
    public static final Set<String> RESERVED = Set.of(HEAD_NAMES, HEAD_WIDTHS, FEATURE_SCHEMA_ID, FORM);

    /** Validates and copies the head names and properties (keeping the properties' order). */
    public MlpExportInfo {
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(headNames, "headNames");
        Objects.requireNonNull(featureSchemaId, "featureSchemaId");
        Objects.requireNonNull(properties, "properties");
        if (producer.isEmpty()) {
            throw new IllegalArgumentException("producer must not be empty");
        }
        if (modelVersion < 0) {
            throw new IllegalArgumentException("modelVersion must be >= 0 (got " + modelVersion + ")");
        }
        headNames = List.copyOf(headNames);
        for (int i = 0; i < headNames.size(); i++) {
            String name = headNames.get(i);
            if (name.isEmpty() || name.indexOf(',') >= 0) {
                throw new IllegalArgumentException("headNames[" + i + "] must be non-empty without commas (got '"
                        + name + "')");
            }
        }
        for (Map.Entry<String, String> p : properties.entrySet()) {
            if (p.getKey() == null || p.getKey().isEmpty() || p.getValue() == null) {
                throw new IllegalArgumentException("properties need non-empty keys and non-null values (got "
                        + p.getKey() + "=" + p.getValue() + ")");
            }
            if (RESERVED.contains(p.getKey())) {
                throw new IllegalArgumentException("property " + p.getKey() + " is written by the exporter itself");
            }
        }
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** No further properties. */
    public MlpExportInfo(String producer, long modelVersion, List<String> headNames, String featureSchemaId) {
        this(producer, modelVersion, headNames, featureSchemaId, Map.of());
    }

    /** Unnamed heads, no schema id. */
    public static MlpExportInfo of(String producer, long modelVersion) {
        return new MlpExportInfo(producer, modelVersion, List.of(), "");
    }
}
