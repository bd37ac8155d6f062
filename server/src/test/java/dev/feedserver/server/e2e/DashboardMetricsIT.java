package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container files, checked as far as they can be without a Docker engine: every Grafana
 * dashboard in {@code docker/grafana/*.json} parses, queries the provisioned Prometheus data
 * source, and names only metrics that a real {@code /metrics} scrape of the running jar
 * contains (as samples, after a feed and an event); compose mounts only files that exist, and
 * Prometheus scrapes the compose service on the port the image serves.
 */
class DashboardMetricsIT {
    private static final Pattern METRIC = Pattern.compile("\\bfeedserver_[a-zA-Z0-9_]+");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    static Path dataDir;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dataDir, "--users", "200", "--items", "400", "--topics", "8", "--factors", "16",
                "--iterations", "4", "--content-encoder", "hashing", "--ranker-queries", "300", "--ranker-epochs", "1",
                "--ranker-hidden", "32,16");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyMetricTheDashboardsQueryIsScraped() throws Exception {
        server.getJson("/v1/feed?user_id=u1&limit=5");
        assertEquals(202, server.postJson("/v1/events", "{\"events\":[{\"user_id\":\"u1\",\"item_id\":\"i1\",\"type\":\"click\"}]}").statusCode());
        Set<String> scraped = server.get("/metrics").body().lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
        List<Path> dashboards = dashboards();
        assertFalse(dashboards.isEmpty(), "no dashboard under docker/grafana");
        for (Path file : dashboards) {
            JsonNode dashboard = ServerProcess.JSON.readTree(file.toFile());
            List<JsonNode> targets = new ArrayList<>();
            for (JsonNode panel : dashboard.path("panels")) {
                if (!panel.path("type").asText().equals("row")) {
                    assertEquals("prometheus", panel.path("datasource").path("uid").asText(), file + ": panel " + panel.path("title"));
                    assertFalse(panel.path("targets").isEmpty(), file + ": panel " + panel.path("title") + " queries nothing");
                    panel.path("targets").forEach(targets::add);
                }
            }
            Set<String> queried = new TreeSet<>();
            for (JsonNode target : targets) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    queried.add(m.group());
                }
            }
            assertTrue(queried.size() >= 20, file + " queries only " + queried);
            Set<String> missing = new TreeSet<>(queried);
            missing.removeAll(scraped);
            assertTrue(missing.isEmpty(), file + " queries metrics the server does not export: " + missing);
        }
    }

    @Test
    void composeMountsFilesThatExistAndPrometheusScrapesTheServer() throws Exception {
        Path docker = dashboardDir().getParent();
        JsonNode compose = YAML.readTree(docker.resolve("compose.yaml").toFile());
        for (JsonNode service : compose.path("services")) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertTrue(Files.exists(docker.resolve(source)), "compose mounts missing " + source);
                }
            }
        }
        assertTrue(compose.path("services").path("server").path("ports").toString().contains("8080:8080"));
        JsonNode prometheus = YAML.readTree(docker.resolve("prometheus.yml").toFile());
        assertEquals("server:8080", prometheus.path("scrape_configs").get(0).path("static_configs").get(0).path("targets").get(0).asText());
        JsonNode datasource = YAML.readTree(docker.resolve("grafana/provisioning/datasources/prometheus.yaml").toFile());
        assertEquals("prometheus", datasource.path("datasources").get(0).path("uid").asText(), "the uid the dashboards name");
    }

    private static Path dashboardDir() {
        return Path.of(System.getProperty("feedserver.dashboards"));
    }

    private static List<Path> dashboards() throws Exception {
        try (Stream<Path> files = Files.list(dashboardDir())) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
