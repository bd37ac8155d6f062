package dev.feedserver.server.generate;

import dev.feedserver.generation.orchestration.Audience;
import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.ContentFormat;
import dev.feedserver.ranking.supply.SupplyRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the supply planner's request for a cluster into a content brief: the cluster's dominant
 * tags become the brief's tags (so the finished item lands among that cluster's items) and the
 * first of them its topic.
 *
 * <p>Threading and lifecycle: stateless; all methods are static.
 */
public final class SupplyBriefs {

    private SupplyBriefs() {
    }

    /** The brief for {@code request}, in {@code format}. */
    public static Brief brief(SupplyRequest request, ContentFormat format) {
        List<String> tags = new ArrayList<>();
        for (String tag : request.tags()) {
            String word = tag.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}-]+", "-").replaceAll("^-+|-+$", "");
            if (!word.isEmpty() && word.length() <= 32 && tags.size() < 8 && !tags.contains(word)) {
                tags.add(word);
            }
        }
        String topic = tags.isEmpty() ? "cluster " + request.clusterId() : tags.getFirst();
        return new Brief(topic, tags, format, Audience.CHILDREN, List.of(), List.of(), 40, 160, 512,
                request.clusterId());
    }
}
