package dev.feedserver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
    @TempDir
    Path dir;

    private Path results;
    private Path report;

    private String runReport() throws Exception {
        report = dir.resolve("out/REPORT.md");
        int exit = new CommandLine(new BenchCli()).execute("report", "--results", results.toString(), "--output", report.toString());
        assertEquals(0, exit, "report exit status");
        return Files.readString(report);
    }

    private void writeTwoSuitesBrokenFileAndPlot() throws Exception {
        results = Files.createDirectories(dir.resolve("results"));
        Map<String, Metric> zeta = new LinkedHashMap<>();
        zeta.put("feed_p99_ms", new Metric(16.195583, "ms"));
        zeta.put("events_per_s", new Metric(67906.555, "events/s"));
        ResultFile.write(results.resolve("zeta.json"), "zeta", "./feedserver bench zeta --quick", zeta, Json.object());
        Map<String, Metric> alpha = new LinkedHashMap<>();
        alpha.put("speedup_vs_onnx_int8", new Metric(9.4292706, "x"));
        ResultFile.write(results.resolve("alpha.json"), "alpha", "./feedserver bench alpha", alpha, Json.object());
        Files.writeString(results.resolve("broken.json"), "{\"suite\": \"broken\", \"metrics\": {");
        Files.write(results.resolve("alpha-latency.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }

    @Test
    void reportHasEachSuitesCommandMetricsAndPlotInSuiteOrder() throws Exception {
        writeTwoSuitesBrokenFileAndPlot();
        String md = runReport();

        assertTrue(md.contains("./feedserver bench alpha\n"), md);
        assertTrue(md.contains("./feedserver bench zeta --quick"), md);
        assertTrue(md.contains("| `speedup_vs_onnx_int8` | 9.43 | x |"), md);
        assertTrue(md.contains("| `feed_p99_ms` | 16.2 | ms |"), md);
        assertTrue(md.contains("| `events_per_s` | 67,907 | events/s |"), md);
        assertTrue(md.indexOf("## alpha") < md.indexOf("## zeta"), "suites sorted by name");
        // The report lives in out/, the plot in results/: the link is relative to the report.
        assertTrue(md.contains("![alpha-latency.png](../results/alpha-latency.png)"), md);
        assertTrue(md.indexOf("alpha-latency.png") < md.indexOf("## zeta"), "the plot sits under its own suite");
    }

    @Test
    void brokenFileIsSkippedAndNamedAndMachineIsStated() throws Exception {
        writeTwoSuitesBrokenFileAndPlot();
        String md = runReport();

        assertTrue(md.contains("## Skipped files"), md);
        assertTrue(md.contains("- `broken.json`: not valid JSON"), md);
        assertFalse(md.contains("## broken"), md);
        String machine = "All files were measured on CPU " + ResultFile.cpuModel() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, JDK ";
        assertTrue(md.contains(machine), md);
    }

    @Test
    void differingMachinesAreSaidAndMissingFieldsAreNotInvented() throws Exception {
        results = Files.createDirectories(dir.resolve("results"));
        Files.writeString(results.resolve("a.json"), """
                {"suite": "a", "when": "2026-01-01T00:00:00Z", "machine": {"cpu": "CPU One", "cores": 2, "jdk": "JDK 25"},
                 "command": "run a", "metrics": {"m": {"value": 1.5, "unit": "ms"}}}""");
        Files.writeString(results.resolve("b.json"), """
                {"suite": "b", "machine": {"cpu": "CPU Two", "cores": 8},
                 "metrics": {"n": {"value": "NaN", "unit": "ratio"}}}""");
        Files.writeString(results.resolve("list.json"), "[1, 2]");
        String md = runReport();

        assertTrue(md.contains("not all measured on the same machine"), md);
        assertTrue(md.contains("- CPU CPU One, 2 cores, JDK JDK 25: a"), md);
        assertTrue(md.contains("- CPU CPU Two, 8 cores, JDK not recorded: b"), md);
        assertTrue(md.contains("Command: not recorded."), md);
        assertTrue(md.contains("From `b.json` (time of measurement not recorded)."), md);
        assertTrue(md.contains("| `n` | NaN | ratio |"), md);
        assertTrue(md.contains("- `list.json`: not a JSON object"), md);
    }

    @Test
    void missingFolderFailsWithoutWritingAReport() {
        results = dir.resolve("absent");
        Path out = dir.resolve("REPORT.md");
        int exit = new CommandLine(new BenchCli()).execute("report", "--results", results.toString(), "--output", out.toString());
        assertEquals(1, exit);
        assertFalse(Files.exists(out));
    }
}
