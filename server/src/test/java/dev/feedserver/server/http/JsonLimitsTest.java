package dev.feedserver.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The strict body parser's limits and the text checks, each with its error code. */
class JsonLimitsTest {
    private static String code(String body) {
        return assertThrows(ApiException.class, () -> Json.parseBody(body.getBytes(StandardCharsets.UTF_8))).code();
    }

    @Test
    void deepNestingLongNumbersAndLongNamesAreTooComplex() {
        assertEquals("json_too_complex", code("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)));
        assertEquals("json_too_complex", code("{\"a\":" + "1".repeat(Json.MAX_NUMBER_CHARS + 1) + "}"));
        assertEquals("json_too_complex", code("{\"" + "k".repeat(Json.MAX_NAME_CHARS + 1) + "\":1}"));
        Json.parseBody(("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH)).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void duplicateKeysNaNAndTrailingGarbageAreMalformed() {
        assertEquals("malformed_json", code("{\"a\":1,\"a\":2}"));
        assertEquals("malformed_json", code("{\"a\":NaN}"));
        assertEquals("malformed_json", code("{\"a\":1} x"));
    }

    @Test
    void cleanTextRefusesControlCharactersAndUnpairedSurrogates() {
        assertTrue(Json.isCleanText("caf\u00e9 \uD83C\uDFB5\ttab\nline"));
        assertFalse(Json.isCleanText("a\uD800"));
        assertFalse(Json.isCleanText("\uDC00a"));
        assertFalse(Json.isCleanText("nul\u0000"));
        assertFalse(Json.isCleanText("esc\u001b[31m"));
    }

    @Test
    void messagesQuoteInputShortAndPrintable() {
        assertEquals("'a?b'", Json.quoteForMessage("a\nb"));
        assertEquals(64 + 5, Json.quoteForMessage("x".repeat(500)).length());
        assertEquals("null", Json.quoteForMessage(null));
    }
}
