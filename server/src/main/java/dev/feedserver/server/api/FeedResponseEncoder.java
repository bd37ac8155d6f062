package dev.feedserver.server.api;

import dev.feedserver.ranking.rank.Objective;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.feed.CandidateSource;
import dev.feedserver.ranking.feed.FeedResult;
import dev.feedserver.ranking.feed.Stage;
import dev.feedserver.server.http.Json;

/**
 * The JSON body of a feed response: the items with score, source, title and tags, the candidate count
 * and {@code timing_us} (each pipeline stage, the encoding itself, and their total). Stateless
 * and thread-safe; separate from the handler so the encoding can be benchmarked on its own.
 */
public final class FeedResponseEncoder {
    private FeedResponseEncoder() {
    }

    public static byte[] encode(String userId, String requestId, FeedResult result, ItemCatalog catalog) {
        long encodeStart = System.nanoTime();
        ObjectNode root = Json.object();
        root.put("user_id", userId);
        root.put("request_id", requestId);
        root.put("cold_start", !result.knownUser());
        root.put("ranker_version", result.rankerVersion());
        ArrayNode items = root.putArray("items");
        for (int i = 0; i < result.size(); i++) {
            ObjectNode item = items.addObject();
            Item described = catalog.item(result.items()[i]);
            item.put("item_id", described.id());
            item.put("score", result.scores()[i]);
            item.put("source", CandidateSource.describe(result.sources()[i]));
            item.put("title", described.title());
            ArrayNode tags = item.putArray("tags");
            for (String tag : described.tags()) {
                tags.add(tag);
            }
            if (result.heads() != null) {
                ObjectNode heads = item.putObject("heads");
                for (Objective objective : Objective.values()) {
                    heads.put(objective.wireName(), result.heads()[i * Objective.COUNT + objective.ordinal()]);
                }
            }
        }
        root.put("candidates", result.candidates());
        ObjectNode timing = root.putObject("timing_us");
        long total = 0;
        for (Stage stage : Stage.values()) {
            long nanos = result.stageNanos()[stage.ordinal()];
            timing.put(stage.label(), nanos / 1_000);
            total += nanos;
        }
        timing.put("encode", (System.nanoTime() - encodeStart) / 1_000);
        timing.put("pipeline_total", total / 1_000);
        return Json.bytes(root);
    }
}
