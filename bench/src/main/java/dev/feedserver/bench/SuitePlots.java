package dev.feedserver.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assigns PNG plots to suites by file name: {@code ranking.png} and {@code store-latency.png}
 * belong to {@code ranking} and {@code store}. A plot whose name fits several suites (say
 * {@code a-b-c.png} with suites {@code a} and {@code a-b}) goes to the longest suite name.
 * Immutable once built.
 */
public final class SuitePlots {
    private final Map<String, List<Path>> bySuite;
    private final List<Path> unmatched;

    private SuitePlots(Map<String, List<Path>> bySuite, List<Path> unmatched) {
        this.bySuite = bySuite;
        this.unmatched = unmatched;
    }

    /** Sorts {@code plots} (in name order) under the {@code suites} they belong to. */
    public static SuitePlots assign(Collection<String> suites, Collection<Path> plots) {
        Map<String, List<Path>> bySuite = new LinkedHashMap<>();
        List<Path> unmatched = new ArrayList<>();
        Map<String, Path> byName = new TreeMap<>();
        plots.forEach(plot -> byName.put(plot.getFileName().toString(), plot));
        byName.forEach((name, plot) -> {
            String owner = null;
            for (String suite : suites) {
                if (belongsTo(name, suite) && (owner == null || suite.length() > owner.length())) {
                    owner = suite;
                }
            }
            if (owner == null) {
                unmatched.add(plot);
            } else {
                bySuite.computeIfAbsent(owner, s -> new ArrayList<>()).add(plot);
            }
        });
        return new SuitePlots(bySuite, List.copyOf(unmatched));
    }

    /** The plots of {@code suite}, in name order; empty when it has none. */
    public List<Path> of(String suite) {
        return List.copyOf(bySuite.getOrDefault(suite, List.of()));
    }

    /** Plots that belong to no suite with a readable result file. */
    public List<Path> unmatched() {
        return unmatched;
    }

    private static boolean belongsTo(String fileName, String suite) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        if (!lower.endsWith(".png")) {
            return false;
        }
        String stem = fileName.substring(0, fileName.length() - ".png".length());
        return stem.equals(suite) || stem.startsWith(suite + "-") || stem.startsWith(suite + "_");
    }
}
