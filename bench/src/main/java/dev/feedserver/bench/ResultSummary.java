package dev.feedserver.bench;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the report needs from one result file written in {@code ResultFile}'s format: suite,
 * when, machine, command and the headline metrics (the free-form {@code details} are left out).
 * {@code suite} and {@code metrics} are required; a missing {@code when}, {@code command} or
 * machine field is kept as {@code null} and shown as not recorded, never guessed. Immutable.
 *
 * @param file the file it was read from
 * @param metrics in the file's order
 */
public record ResultSummary(Path file, String suite, String when, Machine machine, String command, List<Metric> metrics) {

    /** The machine a file was measured on; fields are {@code null} when the file lacks them. */
    public record Machine(String cpu, Integer cores, String jdk) {
    }

    /** One headline metric as the file holds it. */
    public record Metric(String name, double value, String unit) {
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException when it is not JSON or not in the result-file format;
     *         the message names the problem
     */
    public static ResultSummary read(Path file) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String suite = text(root, "suite");
        if (suite == null || suite.isBlank()) {
            throw new IllegalArgumentException("no \"suite\" name");
        }
        JsonNode metricsNode = root.get("metrics");
        if (metricsNode == null || !metricsNode.isObject()) {
            throw new IllegalArgumentException("no \"metrics\" object");
        }
        List<Metric> metrics = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : metricsNode.properties()) {
            metrics.add(metric(entry.getKey(), entry.getValue()));
        }
        JsonNode machineNode = root.path("machine");
        JsonNode cores = machineNode.get("cores");
        Machine machine = new Machine(text(machineNode, "cpu"),
                cores != null && cores.canConvertToInt() ? cores.intValue() : null, text(machineNode, "jdk"));
        return new ResultSummary(file, suite, text(root, "when"), machine, text(root, "command"), List.copyOf(metrics));
    }

    private static Metric metric(String name, JsonNode node) {
        JsonNode value = node.get("value");
        double number;
        if (value != null && value.isNumber()) {
            number = value.doubleValue();
        } else if (value != null && value.isTextual()) {
            // Jackson writes NaN and infinities as strings; anything else textual is not a figure.
            try {
                number = Double.parseDouble(value.textValue());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("metric \"" + name + "\" has a non-numeric value \"" + value.textValue() + "\"", e);
            }
        } else {
            throw new IllegalArgumentException("metric \"" + name + "\" has no numeric \"value\"");
        }
        String unit = text(node, "unit");
        return new Metric(name, number, unit == null ? "" : unit);
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
