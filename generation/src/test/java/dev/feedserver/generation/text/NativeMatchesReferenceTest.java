package dev.feedserver.generation.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.KernelBackend;
import dev.feedserver.nativelib.NativeKernels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Native float logits equal the Java reference's to float rounding, and int8 logits stay close,
 * on random checkpoints written here: multi-head attention, grouped-query attention, separate
 * and shared classifiers, and a hidden width that is not a multiple of the int8 group.
 */
class NativeMatchesReferenceTest {

    @TempDir
    Path dir;

    @BeforeEach
    void needsNative() {
        Assumptions.assumeTrue(KernelBackend.current() == KernelBackend.NATIVE, "skipped: " + KernelBackend.reason());
    }

    static Stream<LlamaConfig> shapes() {
        return Stream.of(
                new LlamaConfig(64, 172, 2, 8, 4, 300, 40, true),     // GQA, shared classifier, 172 = 5x32 + 12
                new LlamaConfig(96, 160, 3, 6, 2, 257, 33, false),    // GQA 3:1, separate classifier
                new LlamaConfig(32, 64, 1, 2, 2, 50, 16, false));     // plain multi-head attention
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void floatLogitsMatchAndInt8StaysClose(LlamaConfig shape) throws IOException {
        Path file = TestModels.writeRandom(dir, shape, shape.dim() * 31L + shape.vocabSize());
        try (LlamaModel reference = LlamaModel.loadReference(file);
             LlamaModel f32 = LlamaModel.loadNative(file, WeightMode.FLOAT32, 0);
             LlamaModel q8 = LlamaModel.loadNative(file, WeightMode.INT8, 32)) {
            assertEquals(shape, f32.config());
            assertEquals(shape, reference.config());
            int steps = shape.seqLen();
            float[] expected = new float[shape.vocabSize()];
            float[] actual = new float[shape.vocabSize()];
            float[] quantized = new float[shape.vocabSize()];
            double worstFloat = 0, worstInt8 = 0;
            try (LlamaSession r = reference.newSession(0); LlamaSession n = f32.newSession(0);
                 LlamaSession q = q8.newSession(0)) {
                for (int pos = 0; pos < steps; pos++) {
                    int token = (pos * 7 + 3) % shape.vocabSize();
                    r.forward(token, pos, expected);
                    n.forward(token, pos, actual);
                    q.forward(token, pos, quantized);
                    double scale = maxAbs(expected);
                    worstFloat = Math.max(worstFloat, maxDiff(expected, actual) / scale);
                    worstInt8 = Math.max(worstInt8, maxDiff(expected, quantized) / scale);
                }
            }
            System.out.printf("%s: worst relative logit error float %.2e, int8 %.2e%n", shape, worstFloat, worstInt8);
            assertTrue(worstFloat < 1e-4, "float logits differ by " + worstFloat + " of their range");
            assertTrue(worstInt8 < 0.08, "int8 logits differ by " + worstInt8 + " of their range");
            assertTrue(worstInt8 > 0, "int8 weights must actually be quantized");
            assertTrue(q8.residentBytes() < f32.residentBytes() / 2, q8.residentBytes() + " vs " + f32.residentBytes());
        }
    }

    @Test
    void int8LogitsAreBitIdenticalOnEveryIsaPath() throws IOException {
        LlamaConfig shape = new LlamaConfig(64, 172, 2, 8, 4, 300, 24, false);
        Path file = TestModels.writeRandom(dir, shape, 17);
        String original = NativeKernels.info().isa();
        try (LlamaModel model = LlamaModel.loadNative(file, WeightMode.INT8, 32)) {
            NativeKernels.forceIsa("scalar");
            float[] scalar = run(model, shape);
            for (String isa : NativeKernels.info().supported()) {
                NativeKernels.forceIsa(isa);
                assertArrayEquals(scalar, run(model, shape), isa);
            }
        } finally {
            NativeKernels.forceIsa(original);
        }
    }

    @Test
    void rewindingReusesTheCachedPrefix() throws IOException {
        LlamaConfig shape = new LlamaConfig(32, 64, 2, 4, 2, 40, 12, true);
        Path file = TestModels.writeRandom(dir, shape, 5);
        try (LlamaModel model = LlamaModel.loadNative(file, WeightMode.FLOAT32, 0);
             LlamaSession session = model.newSession(0)) {
            float[] first = new float[40];
            float[] again = new float[40];
            session.forward(1, 0, first);
            session.forward(7, 1, first);
            session.forward(9, 2, first);
            session.forward(9, 2, again); // rewind one position and feed the same token
            assertArrayEquals(first, again);
        }
    }

    @Test
    void concurrentSessionsOnOneModelGiveTheSameLogits() throws Exception {
        LlamaConfig shape = new LlamaConfig(64, 128, 2, 4, 4, 64, 32, true);
        Path file = TestModels.writeRandom(dir, shape, 9);
        try (LlamaModel model = LlamaModel.loadNative(file, WeightMode.INT8, 0)) {
            float[] alone = run(model, shape);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Future<?>[] runs = new Future<?>[8];
                for (int i = 0; i < runs.length; i++) {
                    runs[i] = pool.submit(() -> run(model, shape));
                }
                for (Future<?> f : runs) {
                    assertArrayEquals(alone, (float[]) f.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    private static float[] run(LlamaModel model, LlamaConfig shape) {
        float[] logits = new float[shape.vocabSize()];
        try (LlamaSession session = model.newSession(0)) {
            for (int pos = 0; pos < shape.seqLen(); pos++) {
                session.forward((pos * 5 + 1) % shape.vocabSize(), pos, logits);
            }
        }
        return logits;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
