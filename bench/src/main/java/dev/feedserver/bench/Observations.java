package dev.feedserver.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What a fault scenario saw: notes, and checks that each pass or fail. The scenario passes when
 * every check did. Not thread-safe.
 */
final class Observations {
    private final List<String> lines = new ArrayList<>();
    private int failed;

    /** Records a fact that is not a pass/fail check (counts, timings). */
    void note(String line) {
        lines.add(line);
    }

    /** Records a check: {@code what} is phrased as the expectation, prefixed "FAILED: " when it did not hold. */
    void check(boolean holds, String what) {
        lines.add(holds ? what : "FAILED: " + what);
        if (!holds) {
            failed++;
        }
    }

    boolean passed() {
        return failed == 0;
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
