package dev.feedserver.generation.orchestration;

import java.util.ArrayList;
import java.util.List;

/**
 * Step 1 of the two-step orchestration: turns a {@link Brief} into a typed {@link ContentPlan}.
 * The planner is a compiler, not a model call: the stage graph for each format is fixed, and the
 * brief's constraints are distributed over the stages that can break them. Every format has
 *
 * <pre>
 *   premise (text) ──► story (text) ──► [narration (speech)] ──► [video]
 *      └──► title (rules) ──► cover (image) ───────────────────────┘
 * </pre>
 *
 * where the narration comes with {@link ContentFormat#NARRATED} and {@link ContentFormat#VIDEO},
 * and the video only with {@link ContentFormat#VIDEO}. Title and cover run in parallel with the
 * story; each stage reads only the inputs drawn into it.
 *
 * <p>Threading and lifecycle: immutable and thread-safe.
 */
public final class BriefPlanner {

    /** Premise: one sentence completing the opening; short. */
    static final int PREMISE_MAX_TOKENS = 48;
    private static final int ATTEMPTS = 3;
    private static final float TEMPERATURE = 0.8f;

    private final StageModels models;

    public BriefPlanner(StageModels models) {
        this.models = models;
    }

    /** The plan for {@code brief}. */
    public ContentPlan plan(Brief brief) {
        List<String> banned = brief.allBannedWords();
        List<StageSpec> stages = new ArrayList<>();
        int premiseTokens = Math.min(PREMISE_MAX_TOKENS, brief.tokenBudget() / 4);
        stages.add(new StageSpec("premise", StageKind.TEXT, models.text(), List.of(),
                new StageConstraints(8, 60, banned, List.of(brief.subject()), premiseTokens, OutputFormat.PROSE),
                TEMPERATURE, ATTEMPTS));
        // ~1.5 tokens per word in the story model's vocabulary, plus room for the unfinished last sentence.
        int storyTokens = Math.min(brief.tokenBudget() - premiseTokens, brief.maxWords() * 3 / 2 + 24);
        stages.add(new StageSpec("story", StageKind.TEXT, models.text(), List.of("premise"),
                new StageConstraints(brief.minWords(), brief.maxWords(), banned, brief.requiredKeywords(), storyTokens,
                        OutputFormat.PROSE),
                TEMPERATURE, ATTEMPTS));
        stages.add(new StageSpec("title", StageKind.TITLE, null, List.of("premise"),
                new StageConstraints(2, 8, banned, List.of(), 0, OutputFormat.TITLE), 0.0f, ATTEMPTS));
        stages.add(new StageSpec("cover", StageKind.IMAGE, models.image(), List.of("title"),
                StageConstraints.media(OutputFormat.PNG), 0.0f, 2));
        if (brief.format() != ContentFormat.STORY) {
            stages.add(new StageSpec("narration", StageKind.SPEECH, models.speech(), List.of("story"),
                    StageConstraints.media(OutputFormat.WAV), 0.0f, 2));
        }
        if (brief.format() == ContentFormat.VIDEO) {
            stages.add(new StageSpec("video", StageKind.VIDEO, models.video(), List.of("cover", "narration"),
                    StageConstraints.media(OutputFormat.MP4), 0.0f, 1));
        }
        return new ContentPlan(stages);
    }
}
