package dev.feedserver.bench.agents;

import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.ContentPlan;
import dev.feedserver.generation.orchestration.StageConstraints;
import dev.feedserver.generation.orchestration.StageKind;
import dev.feedserver.generation.orchestration.StageOutput;
import dev.feedserver.generation.orchestration.StageSpec;
import dev.feedserver.generation.orchestration.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages the agent graph puts into its history: the system message (instructions and the
 * brief), the plan as a plan-and-execute agent writes it into the history, each node's output,
 * and a failed check's violations with the request to fix them (LangGraph's validation and retry
 * loops return the error as a message and call the model again).
 *
 * <p>Threading and lifecycle: stateless; all methods are static.
 */
public final class AgentMessages {

    private AgentMessages() {
    }

    /** Instructions and the brief. */
    public static Message system(Brief brief) {
        String text = "You are a team that writes a " + brief.format().wireName() + " for "
                + brief.audience().wireName() + " about " + brief.topic() + ". Do the steps of the plan in order. "
                + "The story has " + brief.minWords() + " to " + brief.maxWords() + " words of whole sentences"
                + (brief.requiredKeywords().isEmpty() ? "" : " and uses the words " + String.join(", ", brief.requiredKeywords()))
                + ". Never use the words " + String.join(", ", brief.allBannedWords()) + ".";
        return Message.system(text);
    }

    /** The plan, one numbered step per stage, as the planner's message. */
    public static Message plan(ContentPlan plan) {
        List<String> steps = new ArrayList<>();
        int n = 1;
        for (StageSpec stage : plan.stages()) {
            steps.add(n++ + ". " + step(stage));
        }
        return Message.assistant("planner", "Plan: " + String.join(" ", steps));
    }

    /** A node's accepted or rejected output: text as it is, a file as what was written. */
    public static Message output(StageSpec stage, StageOutput output) {
        if (stage.kind() == StageKind.TEXT) {
            return Message.assistant(stage.id(), output.text());
        }
        String content = output.isText() ? output.text() : output.file() + " written (" + output.mediaType() + ")";
        return Message.tool(stage.id(), content);
    }

    /** A failed check: what was wrong, and the request to do the step again. */
    public static Message violations(StageSpec stage, int attempt, List<Violation> violations) {
        List<String> details = violations.stream().map(Violation::detail).toList();
        return Message.tool("check", "The " + stage.id() + " of attempt " + attempt + " " + String.join("; ", details)
                + ". Write the " + stage.id() + " again and fix this.");
    }

    /** A node error (no output): the error text, as a tool error message. */
    public static Message error(StageSpec stage, int attempt, String error) {
        return Message.tool("check", "The " + stage.id() + " of attempt " + attempt + " failed: " + error + ".");
    }

    private static String step(StageSpec stage) {
        StageConstraints c = stage.constraints();
        String from = stage.inputs().isEmpty() ? "" : " from the " + String.join(" and ", stage.inputs());
        String what = switch (stage.kind()) {
            case TEXT -> "write the " + stage.id() + from + " in " + c.minWords() + " to " + c.maxWords() + " words"
                    + (c.requiredKeywords().isEmpty() ? "" : " with " + String.join(", ", c.requiredKeywords()));
            case TITLE -> "make the title" + from;
            case SPEECH -> "read the " + String.join(" and ", stage.inputs()) + " aloud";
            case IMAGE -> "draw the " + stage.id() + from;
            case VIDEO -> "make the " + stage.id() + from;
        };
        return what + ".";
    }
}
