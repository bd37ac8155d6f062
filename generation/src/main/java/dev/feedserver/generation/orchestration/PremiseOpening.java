package dev.feedserver.generation.orchestration;

import java.util.List;

/**
 * The opening a premise starts from, made from the brief alone: a named character who loves the
 * brief's subject. The text model continues it, so its own words carry the story; the opening
 * puts the subject (the first required keyword) into the text, and into the story that continues
 * the premise. The character's name is picked deterministically from the topic, so a brief's
 * plan is reproducible.
 *
 * <p>Threading and lifecycle: stateless; all methods are static.
 */
public final class PremiseOpening {

    private static final List<String> GIRLS = List.of("Lily", "Sue", "Mia", "Anna", "Lucy", "Amy");
    private static final List<String> BOYS = List.of("Tim", "Ben", "Max", "Tom", "Sam", "Jack");

    private PremiseOpening() {
    }

    /** The character's name for this brief. */
    public static String name(Brief brief) {
        int hash = Math.floorMod((brief.topic() + "|" + brief.subject()).hashCode(), GIRLS.size() * 2);
        return hash < GIRLS.size() ? GIRLS.get(hash) : BOYS.get(hash - GIRLS.size());
    }

    /**
     * "Once upon a time, there was a little girl named Lily. Lily loved sea very much. " The
     * subject is followed by more words so the model cannot continue the word itself (it turned
     * "ball" into "balloons" when the opening ended on it).
     */
    public static String of(Brief brief) {
        String name = name(brief);
        String who = GIRLS.contains(name) ? "girl" : "boy";
        return "Once upon a time, there was a little " + who + " named " + name + ". " + name + " loved "
                + brief.subject() + " very much. ";
    }
}
