package dev.feedserver.server.api;

import dev.feedserver.embeddings.IdIndex;
import dev.feedserver.server.http.ApiException;

/** Validation of ids and numbers shared by the API handlers. Stateless. */
public final class Params {
    private Params() {
    }

    /** A required, well-formed id. */
    static String id(String value, String name) {
        if (value == null) {
            throw ApiException.badRequest("missing_parameter", "'" + name + "' is required");
        }
        if (!IdIndex.isValidId(value)) {
            throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be 1.." + IdIndex.MAX_ID_LENGTH
                    + " characters of letters, digits and _-.:@");
        }
        return value;
    }

    /** An optional integer in [min, max], or {@code fallback} when absent. */
    public static int intInRange(String value, String name, int min, int max, int fallback) {
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be an integer, got '" + truncate(value) + "'");
        }
        if (parsed < min || parsed > max) {
            throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be in [" + min + ", " + max + "], got " + truncate(value));
        }
        return (int) parsed;
    }

    /** Client input for an error message: 40 characters at most, printable ASCII only. */
    static String truncate(String value) {
        return dev.feedserver.server.http.Json.printable(value, 40);
    }
}
