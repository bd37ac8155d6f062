package dev.feedserver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.server.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A smoke run of {@code bench agents} on two briefs with the real stories260K (skipped when ../shared is absent). */
class AgentsSuiteTest {

    static final Path STORIES = Path.of("..", "..", "shared", "models", "stories260K");

    @TempDir
    Path dir;

    @Test
    void twoBriefsWriteTheComparison() throws Exception {
        assumeTrue(Files.isRegularFile(STORIES.resolve("stories260K.bin")), "skipped: ../shared/models/stories260K is absent");
        int exit = new CommandLine(new BenchCli()).execute("agents", "--briefs", "2", "--output", dir.toString(),
                "--text-model", STORIES.resolve("stories260K.bin").toString(),
                "--text-tokenizer", STORIES.resolve("tok512.bin").toString());
        assertEquals(0, exit);
        JsonNode result = Json.MAPPER.readTree(dir.resolve("agents.json").toFile());
        assertEquals("agents", result.get("suite").asText());
        assertEquals(4, result.at("/details/runs").size(), "two briefs, two systems");
        double ours = result.at("/metrics/two_step_tokens_model_total_mean/value").asDouble();
        double theirs = result.at("/metrics/agent_graph_tokens_model_total_mean/value").asDouble();
        assertTrue(ours > 0 && theirs > ours, "the agent graph reads its history: " + ours + " vs " + theirs);
        assertTrue(result.at("/details/example_agent_history").asText().startsWith("System: "));
        assertTrue(Files.size(dir.resolve("agents.png")) > 1000);
    }

    @Test
    void aMissingModelIsAClearError() {
        int exit = new CommandLine(new BenchCli()).execute("agents", "--briefs", "2", "--output", dir.toString(),
                "--text-model", dir.resolve("absent.bin").toString());
        assertEquals(2, exit);
    }
}
