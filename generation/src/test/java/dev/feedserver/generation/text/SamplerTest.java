package dev.feedserver.generation.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Greedy is argmax; a seed reproduces a sample; top-p restricts the support to the nucleus. */
class SamplerTest {

    // Probabilities at temperature 1: softmax of log(0.5, 0.3, 0.15, 0.05).
    private static final float[] LOGITS = {(float) Math.log(0.15), (float) Math.log(0.5), (float) Math.log(0.05),
        (float) Math.log(0.3)};

    @Test
    void temperatureZeroIsArgmax() {
        Sampler sampler = new Sampler(GenerationParams.greedy(10));
        assertEquals(1, sampler.sample(LOGITS, 4));
        assertEquals(0, Sampler.argmax(new float[] {2, 2, 1}, 3), "ties go to the lowest index");
    }

    @Test
    void theSameSeedGivesTheSameTokens() {
        assertArrayEquals(draws(42, 1.0f, 1.0f, 200), draws(42, 1.0f, 1.0f, 200));
        assertFalse(java.util.Arrays.equals(draws(42, 1.0f, 1.0f, 200), draws(43, 1.0f, 1.0f, 200)));
    }

    @Test
    void topPKeepsOnlyTheNucleus() {
        // 0.5 < 0.75 <= 0.5 + 0.3: only tokens 1 and 3 may be drawn.
        Set<Integer> seen = new HashSet<>();
        for (int t : draws(7, 1.0f, 0.75f, 2000)) {
            seen.add(t);
        }
        assertEquals(Set.of(1, 3), seen);
        seen.clear();
        for (int t : draws(7, 1.0f, 0.4f, 200)) {
            seen.add(t);
        }
        assertEquals(Set.of(1), seen, "a nucleus of one token is greedy");
        // Without top-p every token shows up, in roughly its probability.
        int[] counts = new int[4];
        for (int t : draws(7, 1.0f, 1.0f, 20000)) {
            counts[t]++;
        }
        assertTrue(Math.abs(counts[2] / 20000.0 - 0.05) < 0.01, "token 2 drawn " + counts[2] + " times");
        assertTrue(Math.abs(counts[1] / 20000.0 - 0.5) < 0.02, "token 1 drawn " + counts[1] + " times");
    }

    @Test
    void lowTemperatureSharpens() {
        int[] counts = new int[4];
        for (int t : draws(3, 0.1f, 1.0f, 1000)) {
            counts[t]++;
        }
        assertTrue(counts[1] > 990, "temperature 0.1 should nearly always pick the best token: " + counts[1]);
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> GenerationParams.sampled(10, -1f, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> GenerationParams.sampled(10, 1f, 0f, 0));
        assertThrows(IllegalArgumentException.class, () -> GenerationParams.sampled(10, 1f, 1.5f, 0));
        assertThrows(IllegalArgumentException.class, () -> GenerationParams.greedy(0));
    }

    private static int[] draws(long seed, float temperature, float topP, int n) {
        Sampler sampler = new Sampler(GenerationParams.sampled(10, temperature, topP, seed));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = sampler.sample(LOGITS, 4);
        }
        return out;
    }
}
