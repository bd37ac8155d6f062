package dev.feedserver.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON configuration of the HTTP layer: strict parsing (UTF-8 validated first, duplicate
 * keys and trailing tokens rejected) and compact writing. Thread-safe (Jackson mappers are).
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** Parses a request body, mapping every failure to a 400 with a precise code. */
    public static JsonNode parseBody(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("empty_body", "request body is empty; a JSON object is required");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid_utf8", "request body is not valid UTF-8");
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed_json", "request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Client input made safe to quote inside an error message: at most 64 characters, control
     * and non-ASCII characters replaced by {@code ?}, in single quotes ({@code 'null'} for
     * none). Jackson escapes the message again when it is written, so the body stays valid JSON
     * whatever the input; this keeps it short and printable too.
     */
    public static String quoteForMessage(String input) {
        if (input == null) {
            return "null";
        }
        int n = Math.min(input.length(), 64);
        StringBuilder out = new StringBuilder(n + 5).append('\'');
        for (int i = 0; i < n; i++) {
            char c = input.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.append(input.length() > n ? "...'" : "'").toString();
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise response", e);
        }
    }

    /** The error body of the API contract. */
    public static byte[] error(String code, String message, JsonNode details) {
        ObjectNode root = object();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (details != null) {
            error.set("details", details);
        }
        return bytes(root);
    }
}
