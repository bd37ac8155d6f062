package dev.feedserver.server.generate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.generation.orchestration.Audience;
import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.ContentFormat;
import dev.feedserver.ranking.durability.BatchKeys;
import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /v1/generate}, parsed strictly: unknown fields, wrong types and
 * out-of-range values are 400s that name the field.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param brief          the brief
 * @param priority       scheduler priority, -10..10 (higher first)
 * @param idempotencyKey 1 to 64 characters of letters, digits and {@code ._:-}, or null
 */
public record GenerateRequest(Brief brief, int priority, String idempotencyKey) {

    private static final Set<String> FIELDS = Set.of("topic", "format", "audience", "tags", "required_keywords",
            "banned_words", "min_words", "max_words", "token_budget", "priority", "idempotency_key");

    /** Parses and validates a request body. */
    public static GenerateRequest parse(byte[] body) {
        JsonNode root = Json.parseBody(body);
        if (!root.isObject()) {
            throw ApiException.badRequest("invalid_body", "body must be a JSON object");
        }
        Json.requireOnlyFields(root, FIELDS);
        String key = optionalText(root, "idempotency_key");
        if (key != null && !BatchKeys.isValidKey(key)) { // the same key rules as event batches
            throw ApiException.badRequest("invalid_body",
                    "'idempotency_key' must be 1 to 64 characters of letters, digits and ._:-");
        }
        try {
            Brief brief = new Brief(requiredText(root, "topic"),
                    words(root, "tags"),
                    ContentFormat.parse(textOr(root, "format", "story")),
                    Audience.parse(textOr(root, "audience", "children")),
                    words(root, "required_keywords"),
                    words(root, "banned_words"),
                    integer(root, "min_words", 40),
                    integer(root, "max_words", 160),
                    integer(root, "token_budget", 512),
                    -1);
            int priority = integer(root, "priority", 0);
            if (priority < -10 || priority > 10) {
                throw new IllegalArgumentException("priority must be in [-10, 10] (got " + priority + ")");
            }
            return new GenerateRequest(brief, priority, key);
        } catch (IllegalArgumentException e) {
            // The message may quote client input: kept short and printable, like every error body.
            throw ApiException.badRequest("invalid_brief", Json.printable(e.getMessage(), 200));
        }
    }

    private static String requiredText(JsonNode root, String field) {
        String text = optionalText(root, field);
        if (text == null) {
            throw ApiException.badRequest("invalid_body", "'" + field + "' is required");
        }
        return text;
    }

    private static String textOr(JsonNode root, String field, String fallback) {
        String text = optionalText(root, field);
        return text == null ? fallback : text;
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().length() > 64 || !Json.isCleanText(node.textValue())) {
            throw ApiException.badRequest("invalid_body", "'" + field
                    + "' must be a string of at most 64 characters without control characters");
        }
        return node.textValue();
    }

    private static int integer(JsonNode root, String field, int fallback) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw ApiException.badRequest("invalid_body", "'" + field + "' must be an integer");
        }
        return node.intValue();
    }

    private static List<String> words(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > 32) {
            throw ApiException.badRequest("invalid_body", "'" + field + "' must be an array of at most 32 strings");
        }
        List<String> words = new ArrayList<>();
        for (JsonNode word : node) {
            if (!word.isTextual() || word.textValue().length() > 32) {
                throw ApiException.badRequest("invalid_body", "'" + field + "' must hold strings of at most 32 characters");
            }
            words.add(word.textValue());
        }
        return words;
    }
}
