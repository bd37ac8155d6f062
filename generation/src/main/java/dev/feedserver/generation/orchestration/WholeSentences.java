package dev.feedserver.generation.orchestration;

/**
 * Trims generated text to whole sentences: drops an unfinished last sentence and, when a word
 * limit is given, every sentence that would pass it. A text without any sentence end is left as
 * it is (the format check then reports it).
 *
 * <p>Threading and lifecycle: stateless; all methods are static.
 */
public final class WholeSentences {

    private WholeSentences() {
    }

    /** {@code text} cut after the last sentence end that keeps it within {@code maxWords} (0 = no limit). */
    public static String trim(String text, int maxWords) {
        String stripped = text.strip();
        int cut = -1;
        for (int i = 0; i < stripped.length(); i++) {
            if (isEnd(stripped, i)) {
                int end = closingQuote(stripped, i + 1);
                if (maxWords > 0 && ConstraintChecker.words(stripped.substring(0, end)).size() > maxWords) {
                    break;
                }
                cut = end;
            }
        }
        return cut < 0 ? stripped : stripped.substring(0, cut).strip();
    }

    /** Whether the text ends with a sentence end, optionally followed by a closing quote. */
    public static boolean endsSentence(String text) {
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            return false;
        }
        int last = stripped.length() - 1;
        if (stripped.charAt(last) == '"' && last > 0) {
            last--;
        }
        char c = stripped.charAt(last);
        return c == '.' || c == '!' || c == '?';
    }

    private static boolean isEnd(String text, int i) {
        char c = text.charAt(i);
        if (c != '.' && c != '!' && c != '?') {
            return false;
        }
        int next = closingQuote(text, i + 1);
        return next == text.length() || Character.isWhitespace(text.charAt(next));
    }

    private static int closingQuote(String text, int i) {
        return i < text.length() && text.charAt(i) == '"' ? i + 1 : i;
    }
}
