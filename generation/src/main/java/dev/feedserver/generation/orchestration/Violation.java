package dev.feedserver.generation.orchestration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One way an output broke its stage's constraints, stated so that the next attempt (and the
 * job's record) can say what went wrong.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param rule   which rule: {@code too_short}, {@code too_long}, {@code banned_word},
 *               {@code missing_keyword}, {@code format}, {@code token_budget}
 * @param word   the word concerned ({@code banned_word}, {@code missing_keyword}), else ""
 * @param detail a sentence for people
 */
public record Violation(String rule, String word, String detail) {

    public static final String TOO_SHORT = "too_short";
    public static final String TOO_LONG = "too_long";
    public static final String BANNED_WORD = "banned_word";
    public static final String MISSING_KEYWORD = "missing_keyword";
    public static final String FORMAT = "format";

    /** A violation that concerns no particular word. */
    public static Violation of(String rule, String detail) {
        return new Violation(rule, "", detail);
    }

    /**
     * The violations of every attempt so far, one per rule and word, the latest detail kept: a
     * retry must keep fixing what an earlier attempt broke, not only what the last one broke.
     */
    public static List<Violation> accumulate(List<Violation> earlier, List<Violation> latest) {
        Map<String, Violation> byRuleAndWord = new LinkedHashMap<>();
        for (Violation violation : earlier) {
            byRuleAndWord.put(violation.rule + "\u0000" + violation.word, violation);
        }
        for (Violation violation : latest) {
            byRuleAndWord.put(violation.rule + "\u0000" + violation.word, violation);
        }
        return List.copyOf(byRuleAndWord.values());
    }

    @Override
    public String toString() {
        return rule + ": " + detail;
    }
}
