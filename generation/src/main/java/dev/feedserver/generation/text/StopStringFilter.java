package dev.feedserver.generation.text;

import java.util.List;

/**
 * Holds back streamed text that might be the start of a stop string, so a listener never sees
 * any part of one: {@link #push} returns the text that can no longer be part of a stop string
 * and reports whether a stop string has appeared.
 *
 * <p>Threading: not thread-safe; one per generation.
 */
final class StopStringFilter {

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    StopStringFilter(List<String> stops) {
        this.stops = stops;
    }

    /** Adds text; returns what may be released now. After a stop string, returns the text before it. */
    String push(String text) {
        held.append(text);
        int earliest = -1;
        for (String stop : stops) {
            int at = held.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        if (earliest >= 0) {
            stopped = true;
            String out = held.substring(0, earliest);
            held.setLength(0);
            return out;
        }
        int keep = 0;
        for (String stop : stops) {
            keep = Math.max(keep, longestSuffixPrefix(held, stop));
        }
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** Whether a stop string has appeared. */
    boolean stopped() {
        return stopped;
    }

    /** The held-back text, released at the end of a generation that did not stop on a string. */
    String flush() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }

    /** Length of the longest suffix of text that is a proper prefix of stop. */
    private static int longestSuffixPrefix(CharSequence text, String stop) {
        for (int length = Math.min(stop.length() - 1, text.length()); length > 0; length--) {
            boolean match = true;
            for (int i = 0; i < length && match; i++) {
                match = text.charAt(text.length() - length + i) == stop.charAt(i);
            }
            if (match) {
                return length;
            }
        }
        return 0;
    }
}
