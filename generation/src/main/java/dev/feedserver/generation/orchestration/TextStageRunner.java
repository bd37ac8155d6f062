package dev.feedserver.generation.orchestration;

import dev.feedserver.generation.models.TextModel;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.scheduler.TaskContext;
import dev.feedserver.generation.text.BpeTokenizer;
import dev.feedserver.generation.text.GenerationParams;
import dev.feedserver.generation.text.GenerationResult;
import dev.feedserver.generation.text.StopReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a {@link StageKind#TEXT} stage on the Llama text model: composes the prompt, generates
 * within the stage's and the job's token budget, and trims the output to whole sentences within
 * the word limit. A retry acts on the violations it is given: after {@code too_short} EOS is
 * masked until the minimum is in reach, after {@code banned_word} the word's single-token
 * spellings are never sampled, after {@code missing_keyword} the opening names the missing
 * words; every attempt samples with its own seed.
 *
 * <p>Threading and lifecycle: stateless apart from its composer; thread-safe.
 */
public final class TextStageRunner implements StageRunner {

    /** Smallest useful generation; below it the job's budget counts as spent. */
    private static final int MIN_TOKENS = 8;

    private final PromptComposer composer;

    public TextStageRunner(PromptComposer composer) {
        this.composer = composer;
    }

    @Override
    public StageKind kind() {
        return StageKind.TEXT;
    }

    @Override
    public StageResult run(StageCall call, LoadedModel model, TaskContext context) throws StageException {
        TextModel text = model.as(TextModel.class);
        StageConstraints constraints = call.stage().constraints();
        int maxTokens = (int) Math.min(constraints.maxTokens(), call.tokenAllowance());
        if (maxTokens < MIN_TOKENS) {
            throw new StageException("the job's token budget of " + call.brief().tokenBudget() + " is spent ("
                    + call.tokenAllowance() + " left)");
        }
        Prompt prompt = withMissingKeywords(composer.compose(call), call);
        GenerationParams params = new GenerationParams(maxTokens, call.stage().temperature(), 0.9f, call.attemptSeed(),
                prompt.oneSentence() ? List.of(".") : List.of(), true)
                .withMasks(minimumTokens(call, maxTokens), suppressedTokens(call, text.tokenizer()));
        GenerationResult result;
        try {
            result = text.generator().generate(prompt.full(), params, piece -> { }, context::cancelled);
        } catch (IllegalArgumentException e) {
            throw new StageException("stage " + call.stage().id() + ": " + e.getMessage(), e);
        }
        context.checkCancelled();
        String generated = result.text();
        if (prompt.oneSentence() && result.reason() == StopReason.STOP_STRING) {
            generated += ".";
        }
        String output = WholeSentences.trim(prompt.opening() + generated.stripLeading(), constraints.maxWords());
        TokenCount tokens = new TokenCount(result.tokensIn(), result.tokensOut(), Cl100kTokens.count(prompt.full()),
                Cl100kTokens.count(result.text()));
        return new StageResult(StageOutput.text(output), tokens);
    }

    /** After a missing keyword, the opening names it, so the continuation is about it too. */
    private static Prompt withMissingKeywords(Prompt prompt, StageCall call) {
        List<String> missing = new ArrayList<>();
        for (Violation violation : call.previousViolations()) {
            if (violation.rule().equals(Violation.MISSING_KEYWORD)) {
                missing.add(violation.word());
            }
        }
        if (missing.isEmpty()) {
            return prompt;
        }
        String name = PremiseOpening.name(call.brief());
        String opening = prompt.opening().stripTrailing();
        if (!opening.isEmpty() && !WholeSentences.endsSentence(opening)) {
            opening += ".";
        }
        opening += " " + name + " also liked " + String.join(" and ", missing) + ". ";
        return new Prompt(prompt.context(), opening, prompt.oneSentence());
    }

    /** After a too-short output, EOS stays masked until the minimum length is likely reached. */
    private static int minimumTokens(StageCall call, int maxTokens) {
        if (!call.violated(Violation.TOO_SHORT)) {
            return 0;
        }
        return Math.min(maxTokens - 1, call.stage().constraints().minWords() * 3 / 2);
    }

    /** After a banned word, every vocabulary entry that spells exactly that word is suppressed. */
    private static List<Integer> suppressedTokens(StageCall call, BpeTokenizer tokenizer) {
        List<Integer> suppressed = new ArrayList<>();
        for (Violation violation : call.previousViolations()) {
            if (!violation.rule().equals(Violation.BANNED_WORD)) {
                continue;
            }
            for (int token = 3; token < tokenizer.vocabSize(); token++) {
                String piece = new String(tokenizer.rawPiece(token), StandardCharsets.UTF_8).strip()
                        .toLowerCase(Locale.ROOT);
                if (piece.equals(violation.word()) && !suppressed.contains(token)) {
                    suppressed.add(token);
                }
            }
        }
        return suppressed;
    }
}
