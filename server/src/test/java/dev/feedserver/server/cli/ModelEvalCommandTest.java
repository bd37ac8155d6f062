package dev.feedserver.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.server.http.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code model-eval} run in-process on a tiny synthetic world: every form and head is reported. */
class ModelEvalCommandTest {
    private static final String[] FORMS = {"float", "int8", "fp8", "int8-static"};
    private static final String[] HEADS = {"click", "like", "long_dwell", "negative"};

    @Test
    void reportsEveryFormAndHeadAndWritesAResultFile(@TempDir Path dir) throws Exception {
        Path result = dir.resolve("model-eval.json");
        StringWriter stdout = new StringWriter();
        CommandLine cli = new CommandLine(new ModelEvalCommand());
        cli.setOut(new PrintWriter(stdout));
        int code = cli.execute("--users", "150", "--items", "300", "--interactions-per-user", "30", "--factors", "16",
                "--iterations", "4", "--content-encoder", "hashing", "--ranker-queries", "200", "--ranker-epochs", "1",
                "--ranker-hidden", "32,16", "--batch-rows", "300", "--timing-runs", "3", "--output", result.toString());
        assertEquals(0, code, "exit status");
        JsonNode out = Json.MAPPER.readTree(stdout.toString());
        assertTrue(out.get("validation").get("queries").asInt() > 0, "held-out queries: " + out.get("validation"));
        for (String form : FORMS) {
            JsonNode node = out.get("forms").get(form);
            assertTrue(node != null, "form " + form + " in " + out.get("forms").toString());
            for (String head : HEADS) {
                assertTrue(node.get("auc").has(head), form + " reports AUC for " + head);
            }
            double ndcg = node.get("ndcg@10_combined").asDouble();
            assertTrue(ndcg > 0 && ndcg <= 1, form + " NDCG@10 in (0, 1]: " + ndcg);
            assertTrue(node.get("batch_us").asDouble() > 0, form + " is timed");
            if (!form.equals("float")) {
                assertTrue(out.get("deltas_vs_float").get(form).get("auc").has("click"), "delta of " + form);
                assertTrue(node.get("spearman_vs_float").get("click").asDouble() > 0.9, form + " tracks float");
            }
        }
        assertTrue(out.get("forms").get("fp8").get("speed_note").asText().contains("storage format"), "fp8's speed is explained");
        assertEquals(out.get("forms").get("float").get("batch_us").asDouble(), out.get("forms").get("fp8").get("batch_us").asDouble(),
                "fp8 runs on the float path");
        JsonNode file = Json.MAPPER.readTree(Files.readAllBytes(result));
        assertEquals("model-eval-synthetic", file.get("suite").asText());
        assertTrue(file.get("metrics").has("int8_auc_click"), "headline metrics: " + file.get("metrics").toString());
        assertTrue(file.get("metrics").has("int8-static_ndcg@10_combined_relative_delta"), "deltas in the headline metrics");
    }
}
