package dev.feedserver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.embeddings.IdIndex;
import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.durability.BatchKeys;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validates a {@code POST /v1/events} body completely before anything is applied: shape, the
 * optional {@code batch_id} (idempotency key), each field's type and range, known event type,
 * existing item. Any invalid event rejects the whole batch with 400 and a reason per failing
 * event. Stateless and thread-safe.
 */
final class EventBatchParser {
    static final long MAX_DWELL_MILLIS = 24L * 3600 * 1000;
    private static final Set<String> FIELDS = Set.of("user_id", "item_id", "type", "dwell_ms", "ts");
    private static final Set<String> ROOT_FIELDS = Set.of("events", "batch_id");

    private EventBatchParser() {
    }

    /** A validated batch: its events and its idempotency key (null when the body has none). */
    record Batch(List<Interaction> events, String batchId) {
    }

    static Batch parse(byte[] body, int maxBatch, ItemCatalog catalog, long nowMillis) {
        JsonNode root = Json.parseBody(body);
        if (!root.isObject()) {
            throw ApiException.badRequest("invalid_body", "body must be a JSON object with an 'events' array");
        }
        Json.requireOnlyFields(root, ROOT_FIELDS);
        String batchId = batchId(root.get("batch_id"));
        JsonNode events = root.get("events");
        if (events == null || !events.isArray()) {
            throw ApiException.badRequest("invalid_body", "'events' must be an array");
        }
        if (events.isEmpty()) {
            throw ApiException.badRequest("invalid_body", "'events' is empty");
        }
        if (events.size() > maxBatch) {
            throw ApiException.badRequest("batch_too_large", "'events' holds " + events.size() + " events; the limit is " + maxBatch);
        }
        List<Interaction> parsed = new ArrayList<>(events.size());
        ArrayNode problems = Json.MAPPER.createArrayNode();
        for (int i = 0; i < events.size(); i++) {
            try {
                parsed.add(parseOne(events.get(i), catalog, nowMillis));
            } catch (IllegalArgumentException e) {
                ObjectNode problem = problems.addObject();
                problem.put("index", i);
                problem.put("reason", e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_events",
                    problems.size() + " of " + events.size() + " events are invalid; nothing was applied", problems);
        }
        return new Batch(parsed, batchId);
    }

    private static String batchId(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !BatchKeys.isValidKey(node.textValue())) {
            throw ApiException.badRequest("invalid_batch_id", "'batch_id' must be a string of 1.." + BatchKeys.MAX_KEY_LENGTH
                    + " characters of letters, digits and ._:-");
        }
        return node.textValue();
    }

    private static Interaction parseOne(JsonNode event, ItemCatalog catalog, long nowMillis) {
        if (!event.isObject()) {
            throw new IllegalArgumentException("event must be an object");
        }
        event.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + Params.truncate(name) + "'");
            }
        });
        String userId = idField(event, "user_id");
        String itemId = idField(event, "item_id");
        JsonNode typeNode = event.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new IllegalArgumentException("'type' must be a string: click|like|share|view|skip|hide|dwell");
        }
        EventType type = EventType.fromWire(typeNode.textValue());
        if (type == null) {
            throw new IllegalArgumentException("unknown event type '" + Params.truncate(typeNode.textValue())
                    + "'; expected click|like|share|view|skip|hide|dwell");
        }
        long dwell = optionalLong(event, "dwell_ms", 0, MAX_DWELL_MILLIS, 0);
        if (type == EventType.DWELL && !event.has("dwell_ms")) {
            throw new IllegalArgumentException("'dwell_ms' is required for dwell events");
        }
        long ts = optionalLong(event, "ts", 1, Long.MAX_VALUE, nowMillis);
        if (catalog.rowOf(itemId) < 0) {
            throw new IllegalArgumentException("unknown item '" + itemId + "'");
        }
        return new Interaction(userId, itemId, type, dwell, ts);
    }

    private static String idField(JsonNode event, String name) {
        JsonNode node = event.get(name);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("'" + name + "' is required");
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("'" + name + "' must be a string");
        }
        if (!IdIndex.isValidId(node.textValue())) {
            throw new IllegalArgumentException("'" + name + "' must be 1.." + IdIndex.MAX_ID_LENGTH + " characters of letters, digits and _-.:@");
        }
        return node.textValue();
    }

    private static long optionalLong(JsonNode event, String name, long min, long max, long fallback) {
        JsonNode node = event.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException("'" + name + "' must be an integer");
        }
        long value = node.longValue();
        if (value < min || value > max) {
            throw new IllegalArgumentException("'" + name + "' must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }
}
