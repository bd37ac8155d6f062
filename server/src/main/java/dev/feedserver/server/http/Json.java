package dev.feedserver.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
    /** Deepest nesting a request body may have: our bodies need 3; 16 leaves room and stops stack-eating input. */
    public static final int MAX_DEPTH = 16;
    /** Longest number token: a long has 19 digits; nothing we accept needs more. */
    public static final int MAX_NUMBER_CHARS = 32;
    /** Longest field name: ours are under 16 characters. */
    public static final int MAX_NAME_CHARS = 256;

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_NUMBER_CHARS)
                            .maxNameLength(MAX_NAME_CHARS)
                            .maxStringLength(64 << 20)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /**
     * Refuses (400 {@code invalid_body}) an object with a field outside {@code allowed}, naming
     * the field (quoted safely) and the allowed ones.
     */
    public static void requireOnlyFields(JsonNode object, java.util.Set<String> allowed) {
        object.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("invalid_body", "unknown field " + quoteForMessage(name) + "; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        });
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
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("json_too_complex", "request body exceeds a JSON limit (nesting depth " + MAX_DEPTH
                    + ", number length " + MAX_NUMBER_CHARS + ", field name length " + MAX_NAME_CHARS + ")");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed_json", "request body is not valid JSON: " + printable(e.getOriginalMessage(), 160));
        }
    }

    /**
     * Client input made safe to quote inside an error message: at most 64 characters, control
     * and non-ASCII characters replaced by {@code ?}, in single quotes ({@code 'null'} for
     * none). Jackson escapes the message again when it is written, so the body stays valid JSON
     * whatever the input; this keeps it short and printable too.
     */
    public static String quoteForMessage(String input) {
        return input == null ? "null" : "'" + printable(input, 64) + "'";
    }

    /** At most {@code max} characters of {@code input}, anything but printable ASCII replaced by {@code ?}. */
    public static String printable(String input, int max) {
        if (input == null) {
            return "";
        }
        int n = Math.min(input.length(), max);
        StringBuilder out = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = input.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return input.length() > n ? out.append("...").toString() : out.toString();
    }

    /**
     * Whether client text is safe to store and echo: no unpaired UTF-16 surrogates (a JSON
     * {@code \\ud800} escape decodes to one, and it cannot be written back as UTF-8) and no
     * control characters other than tab, line feed and carriage return.
     */
    public static boolean isCleanText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return false;
            }
        }
        return true;
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
