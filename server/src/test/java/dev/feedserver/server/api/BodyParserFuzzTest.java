package dev.feedserver.server.api;

import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.server.generate.GenerateRequest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feedserver.embeddings.IdIndex;
import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.server.fuzz.FuzzStats;
import dev.feedserver.server.fuzz.Mutator;
import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import dev.feedserver.server.fuzz.FuzzLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the JSON body parsers ({@code POST /v1/events}, {@code PUT /v1/items/{id}},
 * {@code POST /v1/generate}) with
 * mutated bodies from {@code fuzz/json}. Properties: every input is either accepted or rejected
 * with a 4xx {@link ApiException} (never another exception); what is accepted is clean (valid
 * ids, known items, in-range numbers, text that can be written back as JSON).
 */
class BodyParserFuzzTest {
    private static final Mutator MUTATOR = Mutator.ofCorpus("json", 8_192);
    private static final FuzzStats STATS = new FuzzStats("BodyParserFuzzTest");
    private static final ItemCatalog CATALOG = catalog();

    private static ItemCatalog catalog() {
        ItemCatalog catalog = new ItemCatalog(8);
        for (int i = 0; i < 10; i++) {
            catalog.upsert(new Item("i" + i, "t", "", List.of("a"), 0), new float[] {1, 0, 0, 0, 0, 0, 0, 0});
        }
        return catalog;
    }

    @Test
    void eventBatchesAreAcceptedCleanOrRejectedWith4xx() {
        assertTrue(FuzzLoop.run("BodyParserFuzzTest.events", MUTATOR, STATS, BodyParserFuzzTest::events) > 0);
    }

    @Test
    void itemBodiesAreAcceptedCleanOrRejectedWith4xx() {
        assertTrue(FuzzLoop.run("BodyParserFuzzTest.items", MUTATOR, STATS, BodyParserFuzzTest::item) > 0);
    }

    @Test
    void generationBriefsAreAcceptedCleanOrRejectedWith4xx() {
        assertTrue(FuzzLoop.run("BodyParserFuzzTest.generate", MUTATOR, STATS, BodyParserFuzzTest::brief) > 0);
    }

    private static void brief(byte[] body) {
        try {
            GenerateRequest request = GenerateRequest.parse(body);
            Brief brief = request.brief();
            assertTrue(brief.minWords() >= 10 && brief.maxWords() <= 600 && brief.tokenBudget() <= 4096, brief.toString());
            assertTrue(request.priority() >= -10 && request.priority() <= 10);
            assertTrue(request.idempotencyKey() == null || dev.feedserver.ranking.durability.BatchKeys.isValidKey(request.idempotencyKey()));
            Json.bytes(Json.object().put("topic", brief.topic())); // can be served back
        } catch (ApiException e) {
            assertClientError(e, body);
        } catch (RuntimeException e) {
            fail("generate parser threw " + e + " on " + printable(body), e);
        }
    }

    private static void events(byte[] body) {
        try {
            List<Interaction> events = EventBatchParser.parse(body, 50, CATALOG, 1_700_000_000_000L).events();
            assertTrue(!events.isEmpty() && events.size() <= 50);
            for (Interaction e : events) {
                assertTrue(IdIndex.isValidId(e.userId()) && CATALOG.rowOf(e.itemId()) >= 0, e.toString());
                assertTrue(e.dwellMillis() >= 0 && e.timeMillis() > 0, e.toString());
            }
        } catch (ApiException e) {
            assertClientError(e, body);
        } catch (RuntimeException e) {
            fail("events parser threw " + e + " on " + printable(body), e);
        }
    }

    private static void item(byte[] body) {
        try {
            Item item = ItemBodyParser.parse("x1", body, 1_700_000_000_000L);
            assertTrue(Json.isCleanText(item.title()) && Json.isCleanText(item.text()), item.title());
            assertTrue(item.tags().size() <= ItemBodyParser.MAX_TAGS, "tags " + item.tags().size());
            assertTrue(item.createdAtMillis() >= 0 && item.createdAtMillis() <= ItemBodyParser.MAX_CREATED_AT, "created_at " + item.createdAtMillis());
            Json.bytes(Json.object().put("title", item.title()).put("text", item.text())); // can be served back
        } catch (ApiException e) {
            assertClientError(e, body);
        } catch (RuntimeException e) {
            fail("item parser threw " + e + " on " + printable(body), e);
        }
    }

    @AfterAll
    static void report() {
        STATS.finish(MUTATOR.seeds().size());
    }

    private static void assertClientError(ApiException e, byte[] body) {
        int status = e.status().code();
        assertTrue(status >= 400 && status < 500, status + " for " + printable(body));
        assertTrue(e.getMessage().length() < 400, "error messages stay short: " + e.getMessage().length());
        for (char c : e.getMessage().toCharArray()) {
            assertTrue(c >= 0x20 && c < 0x7f, "error messages are printable ASCII: " + e.getMessage());
        }
    }

    private static String printable(byte[] body) {
        return Json.printable(new String(body, StandardCharsets.UTF_8), 300);
    }
}
