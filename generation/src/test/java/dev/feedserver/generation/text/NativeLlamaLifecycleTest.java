package dev.feedserver.generation.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.KernelBackend;
import dev.feedserver.nativelib.NativeLlama;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NativeLlama's handles: footprint, state sizing, argument checks, and close ordering. */
class NativeLlamaLifecycleTest {

    private static final LlamaConfig SHAPE = new LlamaConfig(64, 96, 2, 4, 2, 70, 20, true);

    @TempDir
    Path dir;

    @BeforeEach
    void needsNative() {
        Assumptions.assumeTrue(KernelBackend.current() == KernelBackend.NATIVE, "skipped: " + KernelBackend.reason());
    }

    @Test
    void reportsItsShapeAndFootprint() throws IOException {
        Path file = TestModels.writeRandom(dir, SHAPE, 1);
        try (NativeLlama f32 = NativeLlama.load(file, NativeLlama.Weights.F32, 0);
             NativeLlama q8 = NativeLlama.load(file, NativeLlama.Weights.Q8, 64)) {
            long weights = LlamaCheckpoint.expectedBytes(SHAPE) - LlamaCheckpoint.HEADER_BYTES
                    - (long) SHAPE.seqLen() * SHAPE.headSize() * 4;
            assertTrue(f32.config().weightBytes() >= weights, f32.config().weightBytes() + " < " + weights);
            assertEquals(64, q8.config().groupSize());
            assertEquals(0, f32.config().groupSize());
            long kv = 2L * SHAPE.layers() * 10 * SHAPE.kvDim() * Float.BYTES;
            assertTrue(f32.stateBytes(10) >= kv && f32.stateBytes(10) < f32.stateBytes(20));
        }
    }

    @Test
    void theEstimateFromTheHeaderMatchesTheMeasuredFootprint() throws IOException {
        for (LlamaConfig shape : new LlamaConfig[] {SHAPE, new LlamaConfig(96, 172, 3, 6, 2, 300, 40, false)}) {
            Path file = TestModels.writeRandom(dir, shape, 4);
            LlamaConfig header = LlamaCheckpoint.readConfig(file);
            for (WeightMode mode : WeightMode.values()) {
                try (LlamaModel model = LlamaModel.loadNative(file, mode, mode == WeightMode.INT8 ? 64 : 0)) {
                    long estimate = LlamaFootprint.estimate(header, mode, 64);
                    long measured = model.residentBytes();
                    assertTrue(measured >= estimate && measured - estimate < 4096,
                            mode + " " + shape + ": estimated " + estimate + ", measured " + measured);
                    long session = model.sessionBytes(17);
                    long sessionEstimate = LlamaFootprint.sessionEstimate(header, mode, 64, 17);
                    assertTrue(session >= sessionEstimate && session - sessionEstimate < 1024,
                            mode + " session: estimated " + sessionEstimate + ", measured " + session);
                }
            }
        }
    }

    @Test
    void checksTokensPositionsAndOrder() throws IOException {
        Path file = TestModels.writeRandom(dir, SHAPE, 2);
        try (NativeLlama model = NativeLlama.load(file, NativeLlama.Weights.F32, 0);
             NativeLlama.State state = model.newState(5)) {
            float[] logits = new float[SHAPE.vocabSize()];
            assertMessage(() -> state.forward(70, 0, logits), "outside the vocabulary");
            assertMessage(() -> state.forward(1, 1, logits), "skips positions");
            state.forward(1, 0, logits);
            assertMessage(() -> state.forward(1, 5, logits), "outside the state");
            assertMessage(() -> model.newState(21), "max_seq");
            assertMessage(() -> state.forward(1, 1, new float[3]), "vocab_size");
        }
    }

    @Test
    void statesOutliveTheModelHandleAndCloseIsIdempotent() throws IOException {
        Path file = TestModels.writeRandom(dir, SHAPE, 3);
        NativeLlama model = NativeLlama.load(file, NativeLlama.Weights.Q8, 0);
        NativeLlama.State state = model.newState(0);
        float[] before = new float[SHAPE.vocabSize()];
        state.forward(3, 0, before);
        model.close();
        model.close();
        assertThrows(IllegalStateException.class, () -> model.newState(0));
        float[] after = new float[SHAPE.vocabSize()];
        state.forward(3, 0, after); // the weights stay until the last state closes
        assertArrayEquals(before, after);
        state.close();
        state.close();
        assertThrows(IllegalStateException.class, () -> state.forward(3, 0, after));
    }

    private static void assertMessage(Runnable call, String fragment) {
        RuntimeException e = assertThrows(RuntimeException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
