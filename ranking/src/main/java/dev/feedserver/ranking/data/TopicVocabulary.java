package dev.feedserver.ranking.data;

import java.util.SplittableRandom;

/** Topic names and title words for the synthetic world. Immutable. */
final class TopicVocabulary {
    private static final String[][] TOPICS = {
        {"cooking", "recipe", "kitchen", "pasta", "bread", "spice"},
        {"travel", "journey", "island", "road", "harbour", "map"},
        {"football", "goal", "league", "derby", "keeper", "pitch"},
        {"jazz", "saxophone", "swing", "quartet", "groove", "solo"},
        {"space", "orbit", "rocket", "nebula", "comet", "lander"},
        {"gardening", "roses", "compost", "seedling", "orchard", "hedge"},
        {"finance", "market", "bond", "budget", "dividend", "ledger"},
        {"gaming", "quest", "boss", "speedrun", "pixel", "console"},
        {"fitness", "workout", "sprint", "yoga", "stretch", "marathon"},
        {"history", "empire", "castle", "archive", "dynasty", "relic"},
        {"science", "lab", "atom", "genome", "theory", "experiment"},
        {"fashion", "runway", "denim", "tailor", "fabric", "style"},
        {"cinema", "director", "premiere", "scene", "studio", "reel"},
        {"pets", "puppy", "kitten", "parrot", "leash", "vet"},
        {"design", "poster", "typeface", "chair", "sketch", "palette"},
        {"coding", "compiler", "bug", "kernel", "refactor", "thread"},
        {"poetry", "verse", "sonnet", "rhyme", "stanza", "ode"},
        {"climbing", "summit", "rope", "boulder", "ridge", "crag"},
        {"photography", "lens", "shutter", "portrait", "exposure", "film"},
        {"wine", "vineyard", "cellar", "vintage", "grape", "cork"},
        {"cycling", "peloton", "saddle", "climb", "gear", "tour"},
        {"chess", "gambit", "endgame", "rook", "opening", "knight"},
        {"sailing", "regatta", "mast", "tide", "keel", "knot"},
        {"astronomy", "telescope", "eclipse", "galaxy", "star", "moon"},
    };
    private static final String[] ADJECTIVES = {
        "quiet", "bold", "hidden", "golden", "late", "small", "wild", "first", "last", "bright",
        "secret", "simple", "lost", "new", "old", "perfect",
    };

    private TopicVocabulary() {
    }

    static String topicName(int topic) {
        return topic < TOPICS.length ? TOPICS[topic][0] : "topic-" + topic;
    }

    static String title(int topic, SplittableRandom random) {
        String adjective = ADJECTIVES[random.nextInt(ADJECTIVES.length)];
        if (topic >= TOPICS.length) {
            return "The " + adjective + " " + topicName(topic) + " story #" + random.nextInt(1000);
        }
        String[] words = TOPICS[topic];
        String noun = words[1 + random.nextInt(words.length - 1)];
        return "The " + adjective + " " + noun + ": a " + words[0] + " story";
    }
}
