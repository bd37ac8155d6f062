package dev.feedserver.generation.orchestration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a stage's output against its {@link StageConstraints}: word counts, banned and required
 * whole words (case-insensitive), and the format (a sentence, whole-sentence prose, a title, or
 * a media file that starts with its format's signature and is not empty). Both the two-step
 * executor and the benchmark's agent-graph baseline use this one checker, so their pass rates
 * compare like with like.
 *
 * <p>Threading and lifecycle: stateless; all methods are static.
 */
public final class ConstraintChecker {

    private static final Pattern WORD_SPLIT = Pattern.compile("[^\\p{L}\\p{N}'-]+");

    private ConstraintChecker() {
    }

    /** Violations of a text output; empty when it passes. */
    public static List<Violation> checkText(String text, StageConstraints constraints) {
        List<Violation> violations = new ArrayList<>();
        List<String> words = words(text);
        if (constraints.minWords() > 0 && words.size() < constraints.minWords()) {
            violations.add(Violation.of(Violation.TOO_SHORT, "has " + words.size() + " words, needs at least "
                    + constraints.minWords()));
        }
        if (constraints.maxWords() > 0 && words.size() > constraints.maxWords()) {
            violations.add(Violation.of(Violation.TOO_LONG, "has " + words.size() + " words, allows at most "
                    + constraints.maxWords()));
        }
        Set<String> present = new HashSet<>();
        for (String word : words) {
            present.add(word.toLowerCase(Locale.ROOT));
        }
        for (String banned : constraints.bannedWords()) {
            if (present.contains(banned)) {
                violations.add(new Violation(Violation.BANNED_WORD, banned, "contains the banned word '" + banned + "'"));
            }
        }
        for (String required : constraints.requiredKeywords()) {
            if (!present.contains(required)) {
                violations.add(new Violation(Violation.MISSING_KEYWORD, required,
                        "does not contain the required keyword '" + required + "'"));
            }
        }
        String formatProblem = textFormatProblem(text.strip(), words, constraints.format());
        if (formatProblem != null) {
            violations.add(Violation.of(Violation.FORMAT, formatProblem));
        }
        return violations;
    }

    /** Violations of a media file output; empty when it passes. */
    public static List<Violation> checkFile(Path file, StageConstraints constraints) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return List.of(Violation.of(Violation.FORMAT, "produced no " + constraints.format() + " file"));
        }
        byte[] head = new byte[12];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        boolean ok = switch (constraints.format()) {
            case WAV -> read == 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE");
            case PNG -> read >= 8 && Arrays.equals(Arrays.copyOf(head, 8),
                    new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            case MP4 -> read == 12 && ascii(head, 4, "ftyp");
            default -> false;
        };
        return ok ? List.of() : List.of(Violation.of(Violation.FORMAT, "is not a valid " + constraints.format() + " file"));
    }

    /** The whole words of a text, in order. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String token : WORD_SPLIT.split(text)) {
            String trimmed = trimPunctuation(token);
            if (!trimmed.isEmpty()) {
                words.add(trimmed);
            }
        }
        return words;
    }

    private static String textFormatProblem(String text, List<String> words, OutputFormat format) {
        if (text.isEmpty()) {
            return "is empty";
        }
        return switch (format) {
            case SENTENCE -> endsSentence(text) && sentenceEnds(text) == 1 ? null : "must be exactly one whole sentence";
            case PROSE -> endsSentence(text) ? null : "must end with a whole sentence";
            case TITLE -> titleProblem(text, words);
            default -> "is text where a " + format + " file was expected";
        };
    }

    private static String titleProblem(String text, List<String> words) {
        if (words.size() < 2 || words.size() > 8) {
            return "a title needs 2 to 8 words (has " + words.size() + ")";
        }
        if (text.endsWith(".") || text.contains("\n")) {
            return "a title is one line without a final full stop";
        }
        if (!Character.isUpperCase(words.get(0).codePointAt(0))) {
            return "a title starts with a capital letter";
        }
        return null;
    }

    private static boolean endsSentence(String text) {
        char last = text.charAt(text.length() - 1);
        if (last == '"' || last == '\'' || last == ')') {
            return text.length() > 1 && endsSentence(text.substring(0, text.length() - 1));
        }
        return last == '.' || last == '!' || last == '?';
    }

    private static int sentenceEnds(String text) {
        int ends = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean end = c == '.' || c == '!' || c == '?';
            boolean followedBySpace = i + 1 < text.length() && Character.isWhitespace(text.charAt(i + 1));
            if (end && (followedBySpace || i == text.length() - 1)) {
                ends++;
            }
        }
        return Math.max(ends, 1);
    }

    private static String trimPunctuation(String token) {
        int start = 0;
        int end = token.length();
        while (start < end && !Character.isLetterOrDigit(token.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetterOrDigit(token.charAt(end - 1))) {
            end--;
        }
        return token.substring(start, end);
    }

    private static boolean ascii(byte[] bytes, int offset, String expected) {
        for (int i = 0; i < expected.length(); i++) {
            if (bytes[offset + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
