package dev.feedserver.server.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Writes a result file in the brief's benchmark format, shared by {@code eval} and the
 * benchmark suites:
 * {@code {"suite", "when", "machine": {"cpu", "cores", "jdk"}, "command", "metrics": {name: {"value", "unit"}}, "details"}}.
 * Written to a temporary file and renamed, so readers never see half a file. Stateless.
 */
public final class ResultFile {
    private ResultFile() {
    }

    /** One metric: a value and its unit. */
    public record Metric(double value, String unit) {
    }

    /** Writes metrics that all share one unit. */
    public static void write(Path file, String suite, String command, Map<String, Double> metrics, String unit, JsonNode details) {
        Map<String, Metric> withUnits = new java.util.LinkedHashMap<>();
        metrics.forEach((name, value) -> withUnits.put(name, new Metric(value, unit)));
        write(file, suite, command, withUnits, details);
    }

    /** Writes {@code metrics} (name to value and unit) and free-form {@code details}. */
    public static void write(Path file, String suite, String command, Map<String, Metric> metrics, JsonNode details) {
        ObjectNode root = Json.object();
        root.put("suite", suite);
        root.put("when", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode machine = root.putObject("machine");
        machine.put("cpu", cpuModel());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        root.put("command", command);
        ObjectNode values = root.putObject("metrics");
        metrics.forEach((name, metric) -> values.putObject(name).put("value", metric.value()).put("unit", metric.unit()));
        root.set("details", details);
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve(file.getFileName() + ".tmp");
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** The CPU model from /proc/cpuinfo, or the architecture name. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
    }
}
