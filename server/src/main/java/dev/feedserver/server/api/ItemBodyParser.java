package dev.feedserver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Validates a {@code PUT /v1/items/{id}} body: {@code title} (required), {@code text},
 * {@code tags} (strings, lower-cased), {@code created_at} (epoch milliseconds or an ISO-8601
 * instant). Stateless.
 */
final class ItemBodyParser {
    static final int MAX_TITLE = 300;
    static final int MAX_TEXT = 10_000;
    static final int MAX_TAGS = 16;
    static final int MAX_TAG = 64;
    /** The last millisecond of year 9999: creation times are between the epoch and this. */
    static final long MAX_CREATED_AT = 253_402_300_799_999L;
    private static final Set<String> FIELDS = Set.of("title", "text", "tags", "created_at");

    private ItemBodyParser() {
    }

    static Item parse(String id, byte[] body, long nowMillis) {
        JsonNode root = Json.parseBody(body);
        if (!root.isObject()) {
            throw ApiException.badRequest("invalid_body", "body must be a JSON object");
        }
        Json.requireOnlyFields(root, FIELDS);
        String title = text(root, "title", true, MAX_TITLE);
        String text = text(root, "text", false, MAX_TEXT);
        List<String> tags = new ArrayList<>();
        JsonNode tagNode = root.get("tags");
        if (tagNode != null && !tagNode.isNull()) {
            if (!tagNode.isArray() || tagNode.size() > MAX_TAGS) {
                throw ApiException.badRequest("invalid_body", "'tags' must be an array of at most " + MAX_TAGS + " strings");
            }
            for (JsonNode tag : tagNode) {
                if (!tag.isTextual() || tag.textValue().isBlank() || tag.textValue().length() > MAX_TAG || !Json.isCleanText(tag.textValue())) {
                    throw ApiException.badRequest("invalid_body", "each tag must be a non-blank string of at most " + MAX_TAG + " characters, without control characters");
                }
                String normal = tag.textValue().trim().toLowerCase(Locale.ROOT);
                if (!tags.contains(normal)) {
                    tags.add(normal);
                }
            }
        }
        return new Item(id, title, text == null ? "" : text, tags, createdAt(root.get("created_at"), nowMillis));
    }

    private static String text(JsonNode root, String name, boolean required, int max) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest("invalid_body", "'" + name + "' is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("invalid_body", "'" + name + "' must be a string");
        }
        String value = node.textValue();
        if (!Json.isCleanText(value)) {
            throw ApiException.badRequest("invalid_body", "'" + name + "' holds a control character or an unpaired surrogate");
        }
        if ((required && value.isBlank()) || value.length() > max) {
            throw ApiException.badRequest("invalid_body", "'" + name + "' must be " + (required ? "non-blank and " : "") + "at most " + max + " characters");
        }
        return value;
    }

    private static long createdAt(JsonNode node, long nowMillis) {
        if (node == null || node.isNull()) {
            return nowMillis;
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0 && node.longValue() <= MAX_CREATED_AT) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                long millis = Instant.parse(node.textValue()).toEpochMilli();
                if (millis >= 0 && millis <= MAX_CREATED_AT) { // an ISO instant can name year 26 or 99999
                    return millis;
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                // fall through to the error below
            }
        }
        throw ApiException.badRequest("invalid_body", "'created_at' must be epoch milliseconds or an ISO-8601 instant such as 2026-01-01T00:00:00Z, between 1970 and 9999");
    }
}
