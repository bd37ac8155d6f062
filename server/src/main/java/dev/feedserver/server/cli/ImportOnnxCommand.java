package dev.feedserver.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.onnx.mlp.RankerOnnx;
import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.ranking.rank.RankerModelFile;
import dev.feedserver.server.http.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code feedserver import-onnx}: reads a float ONNX ranker ({@link RankerOnnx#importFloat}) and
 * writes it as a ranker model file that {@code serve --ranker FILE} loads. The feature schema
 * comes from the ONNX metadata (every {@code export-onnx} stores it) or, for graphs from other
 * tools, from another model file ({@code --schema-from}); the version from the metadata unless
 * {@code --version} names one. Prints a one-line JSON summary. Runs once on the calling thread.
 */
@Command(name = "import-onnx",
        description = "Read a float ONNX ranker (from export-onnx or another tool) into a ranker model file.")
public final class ImportOnnxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // No mixinStandardHelpOptions: its -V/--version would take the model's --version.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "Float ONNX model to import.")
    Path onnx;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Ranker model file to write (e.g. ranker.fsrank).")
    Path output;

    @Option(names = "--version", paramLabel = "V", description = "Version of the imported model (default: the one stored in the ONNX model).")
    String version;

    @Option(names = "--schema-from", paramLabel = "FILE",
            description = "Take the feature schema from this ranker model file (for ONNX models without feedserver metadata).")
    Path schemaFrom;

    @Override
    public Integer call() throws Exception {
        FeatureSchema schema = schemaFrom == null ? null
                : OnnxFiles.readModel(spec, "--schema-from", schemaFrom).model().schema();
        byte[] bytes = OnnxFiles.read(spec, "--onnx", onnx);
        RankerModel ranker;
        try {
            ranker = schema == null ? RankerOnnx.importFloat(bytes, version) : RankerOnnx.importFloat(bytes, schema, version);
        } catch (IllegalArgumentException e) {
            throw OnnxFiles.invalid(spec, "--onnx", onnx, e.getMessage());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("imported_from_onnx", onnx.toAbsolutePath().toString());
        if (schemaFrom != null) {
            metadata.put("feature_schema_from", schemaFrom.toAbsolutePath().toString());
        }
        RankerModelFile.write(ranker, metadata, output);

        ObjectNode summary = Json.object();
        summary.put("onnx", onnx.toAbsolutePath().toString());
        summary.put("model", output.toAbsolutePath().toString());
        summary.put("version", ranker.version());
        summary.put("feature_schema", ranker.schema().id());
        summary.put("schema_source", schemaFrom == null ? "onnx metadata" : schemaFrom.toAbsolutePath().toString());
        summary.put("feature_width", ranker.schema().width());
        summary.putArray("hidden").add(ranker.hidden1()).add(ranker.hidden2());
        summary.put("objective_weights", ranker.defaultWeights().toString());
        OnnxFiles.printSummary(spec, summary);
        return 0;
    }
}
