package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.RankerModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feed ranker ({@link RankerModel}) to and from ONNX. An export is the model's
 * {@link RankerModel#denseLayers() dense network} written by {@link OnnxMlpExporter}: input
 * {@code features} float [batch, {@code schema.width()}], output {@code scores} float [batch, 4],
 * one column per objective. The head layer goes out as four width-1 heads named {@code click},
 * {@code like}, {@code long_dwell}, {@code negative} (see {@link RankerHeads}); the metadata holds
 * the feature schema id, the model's version string, its default objective weights and the five
 * schema numbers ({@link RankerOnnxMetadata}). {@link #importFloat(byte[], String)} reads such a
 * model back bit for bit, and also float graphs from other tools in the importer's subset (see
 * {@link OnnxMlpImporter}) that have the ranker's shape.
 *
 * <p>Threading: stateless and thread-safe; models are only read.
 */
public final class RankerOnnx {

    /** The ONNX {@code producer_name} of exports. */
    public static final String PRODUCER = "feedserver";

    private RankerOnnx() {
    }

    /** The float model: every weight bit for bit as in the ranker. */
    public static byte[] exportFloat(RankerModel model) {
        return OnnxMlpExporter.exportFloat(RankerHeads.split(model.denseLayers()), RankerHeads.SPLIT_OUTPUTS, info(model));
    }

    /**
     * The int8 model in ONNX Runtime's dynamic-quantization form (see {@link OnnxMlpExporter#exportInt8});
     * not importable, {@link #importFloat} reads float models only.
     */
    public static byte[] exportInt8(RankerModel model) {
        return OnnxMlpExporter.exportInt8(RankerHeads.split(model.denseLayers()), RankerHeads.SPLIT_OUTPUTS, info(model));
    }

    /**
     * A ranker from a float model whose metadata stores its feature schema (as every export does).
     *
     * @param version the version of the imported model, or null for the version the model stores
     * @throws IllegalArgumentException if the model stores no schema or no version (when none is
     *                                  given), its input width does not match the schema, or the
     *                                  graph is not the ranker's shape; {@link UnsupportedOnnxModelException}
     *                                  if the bytes are not an ONNX model the importer reads
     */
    public static RankerModel importFloat(byte[] onnx, String version) {
        ImportedMlp mlp = OnnxMlpImporter.importFloat(onnx);
        FeatureSchema schema = RankerOnnxMetadata.schema(mlp.metadata()).orElseThrow(() -> new IllegalArgumentException(
                "the model stores no feature schema (metadata feedserver.schema.*, written by feedserver's export); "
                        + "name the schema it was trained for explicitly"));
        return build(mlp, schema, version);
    }

    /**
     * A ranker from a float model over {@code schema}: for models without schema metadata (exported
     * by another tool). A model that stores a schema must store this one.
     *
     * @param version the version of the imported model, or null for the version the model stores
     * @throws IllegalArgumentException as {@link #importFloat(byte[], String)}, and if the model
     *                                  stores another schema or schema id
     */
    public static RankerModel importFloat(byte[] onnx, FeatureSchema schema, String version) {
        ImportedMlp mlp = OnnxMlpImporter.importFloat(onnx);
        Optional<FeatureSchema> stored = RankerOnnxMetadata.schema(mlp.metadata());
        if (stored.isPresent() && !stored.get().equals(schema)) {
            throw new IllegalArgumentException("the model was exported for feature schema " + stored.get().id()
                    + ", not " + schema.id());
        }
        return build(mlp, schema, version);
    }

    private static RankerModel build(ImportedMlp mlp, FeatureSchema schema, String version) {
        int width = MlpChecks.inputWidth(mlp.layers());
        if (width != schema.width()) {
            throw new IllegalArgumentException("the graph's input is " + width + " floats wide but feature schema "
                    + schema.id() + " is " + schema.width());
        }
        String storedId = mlp.info().featureSchemaId();
        if (!storedId.isEmpty() && !storedId.equals(schema.id())) {
            throw new IllegalArgumentException("the model names feature schema " + storedId + " but is read as "
                    + schema.id());
        }
        Map<String, String> metadata = mlp.metadata();
        String modelVersion = version != null && !version.isBlank() ? version
                : RankerOnnxMetadata.version(metadata).orElseThrow(() -> new IllegalArgumentException(
                        "the model stores no ranker version (metadata " + RankerOnnxMetadata.VERSION + "); give one"));
        List<Layer> layers = RankerHeads.merge(mlp.layers(), mlp.outputLayers(), mlp.info().headNames());
        return RankerModel.fromLayers(schema, layers, modelVersion, RankerOnnxMetadata.weights(metadata));
    }

    static MlpExportInfo info(RankerModel model) {
        return new MlpExportInfo(PRODUCER, 0, RankerHeads.names(), model.schema().id(), RankerOnnxMetadata.of(model));
    }
}
