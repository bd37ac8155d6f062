package dev.feedserver.bench.agents;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps the newest messages that fit, as LangChain's
 * {@code trim_messages(strategy="last", include_system=True)} does: system messages always
 * stay, and the oldest other messages are dropped one by one until the rest fits. Whether a
 * selection fits is the caller's test (the composer counts the whole rendered prompt with the
 * model's tokenizer, which is stricter than summing per-message counts).
 *
 * <p>Threading and lifecycle: stateless; all methods are static.
 */
public final class HistoryTrimmer {

    private HistoryTrimmer() {
    }

    /**
     * The newest messages of {@code history}, system messages included, for which {@code fits}
     * holds; if even the system messages alone do not fit, just those (the caller's prompt is
     * then too long and the model call will say so or stop early).
     */
    public static List<Message> keepLast(List<Message> history, Predicate<List<Message>> fits) {
        List<Message> kept = new ArrayList<>(history);
        while (!fits.test(kept)) {
            int oldest = firstNonSystem(kept);
            if (oldest < 0) {
                break;
            }
            kept.remove(oldest);
        }
        return List.copyOf(kept);
    }

    /** The history rendered as one text, one line per message. */
    public static String render(List<Message> messages) {
        StringBuilder text = new StringBuilder();
        for (Message message : messages) {
            text.append(message.render());
        }
        return text.toString();
    }

    private static int firstNonSystem(List<Message> messages) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role() != Message.Role.SYSTEM) {
                return i;
            }
        }
        return -1;
    }
}
