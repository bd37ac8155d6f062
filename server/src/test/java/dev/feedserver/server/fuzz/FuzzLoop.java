package dev.feedserver.server.fuzz;

import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Runs one fuzz property over mutated corpus inputs. An ordinary build runs {@code fuzz.tries}
 * inputs (default 3,000: a few seconds) from the fixed {@code fuzz.seed} (default 1), so CI is
 * deterministic; {@code -Dfuzz.seconds=S} runs for S seconds instead, and {@code -Dfuzz.seed=N}
 * replays or varies a run. A failing input is written to {@code target/fuzz-failures/} (add it
 * to the corpus once fixed) and the failure names the seed and the input's index.
 *
 * <p>Used from one test thread.
 */
public final class FuzzLoop {
    private FuzzLoop() {
    }

    static long seed() {
        return Long.getLong("fuzz.seed", 1L);
    }

    static long tries() {
        return Long.getLong("fuzz.tries", 3_000L);
    }

    static long seconds() {
        return Long.getLong("fuzz.seconds", 0L);
    }

    /** Feeds {@code property} inputs until the budget is spent; returns how many ran. */
    public static long run(String name, Mutator mutator, FuzzStats stats, Consumer<byte[]> property) {
        Random random = new Random(seed());
        long deadline = seconds() > 0 ? System.nanoTime() + seconds() * 1_000_000_000L : Long.MAX_VALUE;
        long limit = seconds() > 0 ? Long.MAX_VALUE : tries();
        long i = 0;
        for (; i < limit && System.nanoTime() < deadline; i++) {
            byte[] input = mutator.next(random);
            stats.executed();
            try {
                property.accept(input);
            } catch (RuntimeException | AssertionError e) {
                stats.crashed();
                Path saved = save(name, i, input);
                throw new AssertionError(name + " failed on input " + i + " of seed " + seed() + " (saved to " + saved + "): "
                        + Json.printable(new String(input, StandardCharsets.ISO_8859_1), 300) + "\n" + e, e);
            }
        }
        return i;
    }

    private static Path save(String name, long index, byte[] input) {
        Path file = Path.of("target", "fuzz-failures", name + "-seed" + seed() + "-" + index + ".bin");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, input);
        } catch (IOException e) {
            return Path.of("(not saved: " + e.getMessage() + ")");
        }
        return file;
    }
}
