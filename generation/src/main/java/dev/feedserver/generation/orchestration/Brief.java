package dev.feedserver.generation.orchestration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A content brief: what to make, for whom, under which constraints. The planner turns it into a
 * {@link ContentPlan}.
 *
 * <p>Threading and lifecycle: an immutable value; the constructor validates everything, so a
 * brief that exists is one the planner can plan.
 *
 * @param topic            what the content is about: 1 to 40 characters of letters, digits,
 *                         spaces and hyphens (it seeds the story and the cover's palette)
 * @param tags             the catalogue tags the finished item carries (0 to 8, each a word)
 * @param format           which outputs are required
 * @param audience         who it is for (adds the audience's banned words)
 * @param requiredKeywords words the story must contain (0 to 4); the first one also seeds the premise
 * @param bannedWords      words no text output may contain (0 to 32)
 * @param minWords         the story's minimum length in words, {@code >= 10}
 * @param maxWords         the story's maximum length in words, {@code minWords..600}
 * @param tokenBudget      the most tokens the text model may generate over all text stages and
 *                         attempts of this job, {@code 32..4096}
 * @param clusterId        the latent cluster the supply planner filed this brief for, or -1
 */
public record Brief(String topic, List<String> tags, ContentFormat format, Audience audience,
                    List<String> requiredKeywords, List<String> bannedWords, int minWords, int maxWords,
                    int tokenBudget, int clusterId) {

    private static final Pattern TOPIC = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} -]{0,39}");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}-]{0,31}");

    /** Validates every field and normalises words to lower case. */
    public Brief {
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("topic must be 1 to 40 letters, digits, spaces or hyphens");
        }
        if (format == null || audience == null) {
            throw new IllegalArgumentException("format and audience are required");
        }
        tags = words("tags", tags, 8);
        requiredKeywords = words("required_keywords", requiredKeywords, 4);
        bannedWords = words("banned_words", bannedWords, 32);
        for (String required : requiredKeywords) {
            if (bannedWords.contains(required) || audience.bannedWords().contains(required)) {
                throw new IllegalArgumentException("'" + required + "' is both required and banned");
            }
        }
        if (minWords < 10 || maxWords < minWords || maxWords > 600) {
            throw new IllegalArgumentException("need 10 <= min_words <= max_words <= 600 (got " + minWords + ", "
                    + maxWords + ")");
        }
        if (tokenBudget < 32 || tokenBudget > 4096) {
            throw new IllegalArgumentException("token_budget must be in [32, 4096] (got " + tokenBudget + ")");
        }
        if (clusterId < -1) {
            throw new IllegalArgumentException("cluster_id must be >= 0, or -1 for none (got " + clusterId + ")");
        }
    }

    /** A story brief with the defaults the API uses: children, 40 to 160 words, 512 tokens. */
    public static Brief of(String topic, ContentFormat format, List<String> requiredKeywords) {
        return new Brief(topic, List.of(), format, Audience.CHILDREN, requiredKeywords, List.of(), 40, 160, 512, -1);
    }

    /** Every banned word: the brief's and the audience's. */
    public List<String> allBannedWords() {
        List<String> all = new ArrayList<>(bannedWords);
        for (String word : audience.bannedWords()) {
            if (!all.contains(word)) {
                all.add(word);
            }
        }
        return List.copyOf(all);
    }

    /** The word the premise is about: the first required keyword, else the topic. */
    public String subject() {
        return requiredKeywords.isEmpty() ? topic.toLowerCase(Locale.ROOT) : requiredKeywords.get(0);
    }

    private static List<String> words(String field, List<String> words, int max) {
        if (words == null) {
            return List.of();
        }
        if (words.size() > max) {
            throw new IllegalArgumentException(field + " holds at most " + max + " words (got " + words.size() + ")");
        }
        List<String> normalised = new ArrayList<>(words.size());
        for (String word : words) {
            if (word == null || !WORD.matcher(word).matches()) {
                throw new IllegalArgumentException(field + " must hold single words of 1 to 32 letters, digits or hyphens");
            }
            String lower = word.toLowerCase(Locale.ROOT);
            if (!normalised.contains(lower)) {
                normalised.add(lower);
            }
        }
        return List.copyOf(normalised);
    }
}
