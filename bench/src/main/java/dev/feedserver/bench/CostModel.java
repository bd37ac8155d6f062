package dev.feedserver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns measured CPU time into dollars with the prices in {@code prices.json} (a resource of this
 * package, or a file given with {@code --prices}): for each CPU price, dollars per hardware-thread
 * hour, and so {@code cpu-seconds per 1,000 feeds x 1,000 / 3,600 x price} dollars per million
 * feeds; beside them the managed API's published price per million requests. The cost of CPU
 * time actually used: a machine kept at lower utilisation costs more per feed by the inverse of
 * its utilisation. Immutable.
 */
final class CostModel {
    private final JsonNode prices;
    private final Map<String, Double> usdPerCpuHour;
    private final double managedUsdPerMillion;

    private CostModel(JsonNode prices) {
        this.prices = prices;
        this.usdPerCpuHour = new LinkedHashMap<>();
        for (JsonNode price : prices.path("cpu_prices")) {
            usdPerCpuHour.put(required(price, "id").asText(), perThreadHour(price));
        }
        if (usdPerCpuHour.isEmpty()) {
            throw new IllegalArgumentException("prices: no cpu_prices");
        }
        this.managedUsdPerMillion = required(prices.path("managed_api"), "usd_per_million_requests").asDouble();
    }

    /** The prices in {@code file}, or the built-in ones when it is null. */
    static CostModel load(Path file) {
        try (InputStream in = file == null ? CostModel.class.getResourceAsStream("prices.json") : Files.newInputStream(file)) {
            if (in == null) {
                throw new IllegalStateException("prices.json is missing from the benchmark jar");
            }
            return new CostModel(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("reading prices " + (file == null ? "(built in)" : file), e);
        }
    }

    /** A price entry's dollars per hardware-thread hour: hourly or monthly price (EUR converted) over its threads. */
    private static double perThreadHour(JsonNode price) {
        double threads = required(price, "hardware_threads").asDouble();
        double usdPerHour;
        if (price.has("usd_per_hour")) {
            usdPerHour = price.get("usd_per_hour").asDouble();
        } else {
            double eurPerMonth = required(price, "eur_per_month").asDouble();
            usdPerHour = eurPerMonth * required(price, "usd_per_eur").asDouble() / required(price, "hours_per_month").asDouble();
        }
        if (!(usdPerHour > 0) || !(threads > 0)) {
            throw new IllegalArgumentException("prices: " + price.path("id").asText() + " needs a positive price and thread count");
        }
        return usdPerHour / threads;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("prices: " + node.path("id").asText("entry") + " has no \"" + field + "\"");
        }
        return value;
    }

    /** Dollars per hardware-thread hour by price id ({@code bare_metal}, {@code cloud}). */
    Map<String, Double> usdPerCpuHour() {
        return Map.copyOf(usdPerCpuHour);
    }

    /** Dollars per million feeds by price id, for {@code cpuSecondsPer1000Feeds}. */
    Map<String, Double> usdPerMillionFeeds(double cpuSecondsPer1000Feeds) {
        Map<String, Double> out = new LinkedHashMap<>();
        usdPerCpuHour.forEach((id, price) -> out.put(id, cpuSecondsPer1000Feeds * 1000 / 3600 * price));
        return out;
    }

    /** The managed API's published dollars per million requests. */
    double managedUsdPerMillion() {
        return managedUsdPerMillion;
    }

    /** The prices with their sources and the derived per-thread-hour figures, for load.json. */
    ObjectNode describe() {
        ObjectNode out = (ObjectNode) prices.deepCopy();
        ObjectNode derived = out.putObject("usd_per_cpu_hour");
        usdPerCpuHour.forEach(derived::put);
        out.put("method", "usd per million feeds = cpu-seconds per 1,000 feeds x 1,000 / 3,600 x usd per cpu-hour; "
                + "CPU time actually used (all processes of the system), as if the machine were kept busy");
        return out;
    }
}
