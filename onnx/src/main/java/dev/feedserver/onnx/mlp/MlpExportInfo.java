package dev.feedserver.onnx.mlp;

import java.util.List;
import java.util.Objects;

/**
 * What an exported ranker model says about itself, stored in the ONNX model: the producer and
 * model version in the model's own fields, the head names and the feature schema id in its
 * metadata properties ({@link #HEAD_NAMES}, {@link #FEATURE_SCHEMA_ID}).
 *
 * @param producer        who made the model (ONNX {@code producer_name}), non-empty
 * @param modelVersion    the model's version (ONNX {@code model_version}), {@code >= 0}
 * @param headNames       one name per output layer, in output order, or empty when unnamed;
 *                        names are non-empty and contain no comma
 * @param featureSchemaId the id of the feature layout the model's input expects, or empty
 */
public record MlpExportInfo(String producer, long modelVersion, List<String> headNames, String featureSchemaId) {

    /** Metadata key: the head names, comma-separated, one per output layer. */
    public static final String HEAD_NAMES = "feedserver.head_names";
    /** Metadata key: each head's output width, comma-separated, so names map to output columns. */
    public static final String HEAD_WIDTHS = "feedserver.head_widths";
    /** Metadata key: the feature schema id. */
    public static final String FEATURE_SCHEMA_ID = "feedserver.feature_schema_id";
    /** Metadata key: {@code float} or {@code int8}, the form the exporter wrote. */
    public static final String FORM = "feedserver.form";

    /** Validates and copies the head names. */
    public MlpExportInfo {
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(headNames, "headNames");
        Objects.requireNonNull(featureSchemaId, "featureSchemaId");
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
    }

    /** Unnamed heads, no schema id. */
    public static MlpExportInfo of(String producer, long modelVersion) {
        return new MlpExportInfo(producer, modelVersion, List.of(), "");
    }
}
