package dev.feedserver.generation.text;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.KernelBackend;
import dev.feedserver.nativelib.NativeLlama;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Truncated, padded, corrupt and non-checkpoint files fail with a message naming the problem, natively and in Java. */
class BadCheckpointTest {

    private static final LlamaConfig SHAPE = new LlamaConfig(32, 64, 2, 4, 2, 40, 16, false);

    @TempDir
    Path dir;

    /** Native float, native int8 and the Java reader, each as "load this file". */
    static Stream<String> loaders() {
        return KernelBackend.current() == KernelBackend.NATIVE ? Stream.of("native-f32", "native-q8", "java")
                : Stream.of("java");
    }

    private static Function<Path, ?> loader(String name) {
        return switch (name) {
            case "native-f32" -> p -> LlamaModel.loadNative(p, WeightMode.FLOAT32, 0);
            case "native-q8" -> p -> LlamaModel.loadNative(p, WeightMode.INT8, 0);
            default -> LlamaCheckpoint::readWeights;
        };
    }

    @ParameterizedTest
    @MethodSource("loaders")
    void truncatedFile(String loader) throws IOException {
        Path file = TestModels.writeRandom(dir, SHAPE, 1);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 10);
        }
        expect(loader, file, "truncated");
    }

    @ParameterizedTest
    @MethodSource("loaders")
    void trailingBytes(String loader) throws IOException {
        Path file = TestModels.writeRandom(dir, SHAPE, 2);
        Files.write(file, new byte[4], java.nio.file.StandardOpenOption.APPEND);
        expect(loader, file, "trailing bytes");
    }

    @ParameterizedTest
    @MethodSource("loaders")
    void shorterThanTheHeader(String loader) throws IOException {
        Path file = dir.resolve("tiny.bin");
        Files.write(file, new byte[10]);
        expect(loader, file, "28-byte");
    }

    @ParameterizedTest
    @MethodSource("loaders")
    void headerFieldOutOfRange(String loader) throws IOException {
        Path file = TestModels.writeRandom(dir, SHAPE, 3);
        patchInt(file, 3 * 4, 0); // n_heads = 0
        expect(loader, file, "n_heads=0");
    }

    @ParameterizedTest
    @MethodSource("loaders")
    void headsNotDivisibleByKvHeads(String loader) throws IOException {
        Path file = TestModels.writeRandom(dir, SHAPE, 4);
        patchInt(file, 4 * 4, 3); // n_kv_heads = 3 with 4 heads
        expect(loader, file, "not a multiple of n_kv_heads=3");
    }

    @ParameterizedTest
    @MethodSource("loaders")
    void nonFiniteWeight(String loader) throws IOException {
        Path file = TestModels.writeRandom(dir, SHAPE, 5);
        patchInt(file, LlamaCheckpoint.HEADER_BYTES + 4 * 100, Float.floatToIntBits(Float.NaN));
        expect(loader, file, "not finite");
    }

    @ParameterizedTest
    @MethodSource("loaders")
    void missingFile(String loader) {
        Path file = dir.resolve("absent.bin");
        RuntimeException e = assertThrows(RuntimeException.class, () -> loader(loader).apply(file));
        assertTrue(e.getMessage().contains("absent.bin"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void badGroupSizeIsRejected() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(KernelBackend.current() == KernelBackend.NATIVE);
        Path file = TestModels.writeRandom(dir, SHAPE, 6);
        for (int group : new int[] {16, 48, 2048, -32}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeLlama.load(file, NativeLlama.Weights.Q8, group));
            assertTrue(e.getMessage().contains("group_size"), e.getMessage());
        }
    }

    private void expect(String loader, Path file, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader(loader).apply(file));
        assertTrue(e.getMessage().contains(fragment), loader + ": " + e.getMessage());
    }

    private static void patchInt(Path file, long offset, int value) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) offset, value);
        Files.write(file, Arrays.copyOf(bytes, bytes.length));
    }
}
