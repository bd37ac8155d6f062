package dev.feedserver.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.ranking.rank.QuantizedModelFile;
import dev.feedserver.ranking.rank.RankerModelFile;
import dev.feedserver.server.http.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** train, then quantize (int8 with calibration, and fp8), in-process on a tiny synthetic world. */
class QuantizeCommandTest {
    private static final String[] WORLD = {"--users", "150", "--items", "300", "--interactions-per-user", "30", "--factors", "16",
        "--iterations", "4", "--content-encoder", "hashing", "--ranker-queries", "300", "--ranker-epochs", "1",
        "--ranker-hidden", "32,16"};

    @TempDir
    Path dir;

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = FeedServerCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static String[] with(String... head) {
        List<String> args = new ArrayList<>(List.of(head));
        args.addAll(List.of(WORLD));
        return args.toArray(String[]::new);
    }

    @Test
    void aTrainedModelQuantizesToInt8WithCalibrationAndToFp8() throws Exception {
        Path model = dir.resolve("ranker.fsrank");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, run(out, err, with("train", "--output", model.toString())), err.toString());

        Path int8 = dir.resolve("ranker.fsq");
        out = new StringWriter();
        assertEquals(0, run(out, err, with("quantize", "--model", model.toString(), "--output", int8.toString(), "--calibrate",
                "--calibration-queries", "100")), err.toString());
        JsonNode summary = Json.MAPPER.readTree(out.toString().strip());
        assertEquals("int8", summary.get("weight_format").asText());
        assertEquals(3, summary.get("activation_scales").size());
        for (JsonNode scale : summary.get("activation_scales")) {
            assertTrue(scale.asDouble() > 0, "a calibrated scale is positive: " + scale);
        }
        for (JsonNode error : summary.get("max_relative_weight_error_per_layer")) {
            assertTrue(error.asDouble() <= 0.5 / 127 + 1e-6, "int8 error within half a step of the channel's range: " + error);
        }
        assertTrue(summary.get("quantized_file_bytes").asLong() < summary.get("float_file_bytes").asLong() / 3);
        QuantizedModelFile.Loaded loaded = QuantizedModelFile.read(int8);
        assertEquals(RankerModelFile.read(model).model().version(), loaded.model().version());

        Path fp8 = dir.resolve("ranker-fp8.fsq");
        out = new StringWriter();
        assertEquals(0, run(out, err, "quantize", "--model", model.toString(), "--output", fp8.toString(), "--fp8"), err.toString());
        assertEquals("fp8_e4m3", Json.MAPPER.readTree(out.toString().strip()).get("weight_format").asText());
        assertEquals(QuantizedModelFile.WeightFormat.FP8_E4M3, QuantizedModelFile.read(fp8).format());
    }

    @Test
    void badInputIsAParameterError() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path missing = dir.resolve("missing.fsrank");
        assertEquals(2, run(out, err, "quantize", "--model", missing.toString(), "--output", dir.resolve("x.fsq").toString()));
        assertTrue(err.toString().contains("--model"), err.toString());
        Path garbage = dir.resolve("garbage.fsrank");
        Files.writeString(garbage, "not a model");
        err = new StringWriter();
        assertEquals(2, run(out, err, "quantize", "--model", garbage.toString(), "--output", dir.resolve("y.fsq").toString()));
        assertTrue(err.toString().contains("ranker model file"), err.toString());
        assertFalse(Files.exists(dir.resolve("y.fsq")));
    }
}
