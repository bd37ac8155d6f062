package dev.feedserver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost arithmetic on a price file written here (hourly and monthly-in-EUR prices spread over
 * hardware threads), the built-in prices naming a source for every figure, and bad files
 * refused with the field that is missing. Also the baseline's argument rewrite.
 */
class CostModelTest {
    @TempDir
    Path dir;

    @Test
    void cpuSecondsPerThousandFeedsBecomeDollarsPerMillion() throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, """
                {"cpu_prices": [
                  {"id": "cloud", "usd_per_hour": 0.36, "hardware_threads": 4},
                  {"id": "bare_metal", "eur_per_month": 100, "usd_per_eur": 1.5, "hours_per_month": 750, "hardware_threads": 10}],
                 "managed_api": {"usd_per_million_requests": 270}}
                """);
        CostModel cost = CostModel.load(file);
        assertEquals(0.09, cost.usdPerCpuHour().get("cloud"), 1e-12);
        assertEquals(0.02, cost.usdPerCpuHour().get("bare_metal"), 1e-12);
        // 7.2 CPU-s per 1,000 feeds = 7,200 CPU-s = 2 CPU-hours per million feeds.
        Map<String, Double> usd = cost.usdPerMillionFeeds(7.2);
        assertEquals(0.18, usd.get("cloud"), 1e-12);
        assertEquals(0.04, usd.get("bare_metal"), 1e-12);
        assertEquals(270, cost.managedUsdPerMillion());
        assertEquals(List.of("cloud", "bare_metal"), List.copyOf(usd.keySet()));
    }

    @Test
    void theBuiltInPricesNameTheirSources() {
        CostModel cost = CostModel.load(null);
        assertTrue(cost.usdPerCpuHour().containsKey("bare_metal") && cost.usdPerCpuHour().containsKey("cloud"));
        cost.describe().path("cpu_prices").forEach(price -> {
            assertTrue(price.path("source").asText().length() > 20, price.toString());
            assertTrue(price.path("price_date").asText().contains("read"), price.toString());
        });
        assertTrue(cost.describe().path("managed_api").path("source").asText().contains("cloud.google.com"));
    }

    @Test
    void aPriceWithoutThreadsIsRefusedByName() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"cpu_prices\": [{\"id\": \"cloud\", \"usd_per_hour\": 0.1}], \"managed_api\": {\"usd_per_million_requests\": 1}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CostModel.load(file));
        assertTrue(e.getMessage().contains("cloud") && e.getMessage().contains("hardware_threads"), e.getMessage());
    }

    @Test
    void theBaselineServerGetsItsOwnRankerArgument() {
        assertEquals(List.of("--items", "10", "--users", "5"),
                BaselineStack.withoutRanker(List.of("--items", "10", "--ranker", "train", "--users", "5", "--ranker=none")));
    }
}
