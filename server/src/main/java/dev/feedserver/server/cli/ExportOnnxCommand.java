package dev.feedserver.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.onnx.mlp.RankerOnnx;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.server.http.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code feedserver export-onnx}: writes a ranker model file ({@code *.fsrank}) as an ONNX model
 * ({@link RankerOnnx}): float by default, every weight bit for bit, or with {@code --int8} in
 * ONNX Runtime's dynamic-quantization form. Prints a one-line JSON summary. Runs once on the
 * calling thread.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Write a ranker model file as an ONNX model (input features [batch, width], output scores [batch, 4]).")
public final class ExportOnnxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Ranker model file to export (from 'feedserver train').")
    Path model;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "ONNX file to write (e.g. ranker.onnx).")
    Path output;

    @Option(names = "--int8", description = "Write the int8 form (dynamic quantization; ONNX Runtime runs it, import-onnx does not read it).")
    boolean int8;

    @Override
    public Integer call() throws Exception {
        RankerModel ranker = OnnxFiles.readModel(spec, "--model", model).model();
        byte[] onnx = int8 ? RankerOnnx.exportInt8(ranker) : RankerOnnx.exportFloat(ranker);
        OnnxFiles.writeAtomically(onnx, output);

        ObjectNode summary = Json.object();
        summary.put("model", model.toAbsolutePath().toString());
        summary.put("onnx", output.toAbsolutePath().toString());
        summary.put("form", int8 ? "int8" : "float");
        summary.put("bytes", onnx.length);
        summary.put("version", ranker.version());
        summary.put("feature_schema", ranker.schema().id());
        summary.put("feature_width", ranker.schema().width());
        summary.putArray("hidden").add(ranker.hidden1()).add(ranker.hidden2());
        ArrayNode heads = summary.putArray("heads");
        for (Objective o : Objective.values()) {
            heads.add(o.wireName());
        }
        OnnxFiles.printSummary(spec, summary);
        return 0;
    }
}
