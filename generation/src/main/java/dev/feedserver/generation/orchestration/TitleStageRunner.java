package dev.feedserver.generation.orchestration;

import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.scheduler.TaskContext;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Composes a title by rules from the premise (no model: the tiny story model cannot write
 * titles): the character the premise names and the brief's subject, in one of three patterns,
 * one per attempt. Uses no tokens.
 *
 * <p>Threading and lifecycle: stateless and thread-safe.
 */
public final class TitleStageRunner implements StageRunner {

    private static final Pattern NAMED = Pattern.compile("named (\\p{Lu}\\p{L}+)");
    private static final List<String> PATTERNS = List.of("%s and the %s", "The %2$s of %1$s", "%s Finds %s");

    @Override
    public StageKind kind() {
        return StageKind.TITLE;
    }

    @Override
    public StageResult run(StageCall call, LoadedModel model, TaskContext context) {
        Matcher named = NAMED.matcher(call.inputText());
        String name = named.find() ? named.group(1) : PremiseOpening.name(call.brief());
        String pattern = PATTERNS.get((call.attempt() - 1) % PATTERNS.size());
        return new StageResult(StageOutput.text(String.format(Locale.ROOT, pattern, name,
                titleCase(call.brief().subject()))), TokenCount.ZERO);
    }

    private static String titleCase(String words) {
        StringBuilder out = new StringBuilder();
        for (String word : words.split("[ -]+")) {
            if (!word.isEmpty()) {
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.appendCodePoint(Character.toUpperCase(word.codePointAt(0))).append(word.substring(
                        Character.charCount(word.codePointAt(0))));
            }
        }
        return out.toString();
    }
}
