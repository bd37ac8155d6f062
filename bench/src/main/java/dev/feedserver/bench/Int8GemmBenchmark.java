package dev.feedserver.bench;

import dev.feedserver.nativelib.Int8Gemm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GEMM on the ranker's layer shapes ({@code M x K x N}: 2,400 candidate rows; 4,700 -> 512 ->
 * 256 -> 8) and a small shape: int8 (packed weights, float epilogue) on one and two threads, the
 * library's own float GEMM, and the pure-Java float GEMM of the fallback. One operation is one
 * whole {@code M x K x N} product.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class Int8GemmBenchmark {
    /** {@code MxKxN}. */
    @Param({"2400x4700x512", "2400x512x256", "2400x256x8", "64x256x64"})
    String shape;

    int m;
    int k;
    int n;
    private Arena arena;
    private MemorySegment a8;
    private MemorySegment packed;
    private MemorySegment colScale;
    private MemorySegment out;
    private MemorySegment a32;
    private MemorySegment w32;
    private Int8Gemm.Epilogue epilogue;
    private ExecutorService pair;

    @Setup(Level.Trial)
    public void setUp() {
        String[] dims = shape.split("x");
        m = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        arena = Arena.ofShared();
        SplittableRandom random = new SplittableRandom(7);
        a8 = arena.allocate((long) m * k, 64);
        MemorySegment w8 = arena.allocate((long) n * k, 64);
        a32 = arena.allocate((long) m * k * Float.BYTES, 64);
        w32 = arena.allocate((long) n * k * Float.BYTES, 64);
        for (long i = 0; i < (long) m * k; i++) {
            a8.set(ValueLayout.JAVA_BYTE, i, (byte) (random.nextInt(255) - 127));
            a32.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextGaussian());
        }
        for (long i = 0; i < (long) n * k; i++) {
            w8.set(ValueLayout.JAVA_BYTE, i, (byte) (random.nextInt(255) - 127));
            w32.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextGaussian());
        }
        Int8Gemm gemm = Int8Gemm.get();
        packed = arena.allocate(gemm.packedSize(n, k), 64);
        gemm.pack(w8, n, k, k, packed);
        colScale = arena.allocate((long) n * Float.BYTES, 64);
        for (int j = 0; j < n; j++) {
            colScale.setAtIndex(ValueLayout.JAVA_FLOAT, j, 1e-4f);
        }
        out = arena.allocate((long) m * n * Float.BYTES, 64);
        epilogue = Int8Gemm.Epilogue.f32(null, colScale, null, Int8Gemm.Activation.RELU);
        pair = Executors.newFixedThreadPool(2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pair.shutdownNow();
        arena.close();
    }

    @Benchmark
    public MemorySegment int8() {
        Int8Gemm.get().gemmS8S8(a8, m, k, k, packed, n, epilogue, out, n);
        return out;
    }

    /** The same product split by rows over two threads (one call per half). */
    @Benchmark
    public MemorySegment int8TwoThreads() throws Exception {
        long half = m / 2;
        Future<?> first = pair.submit(() -> Int8Gemm.get().gemmS8S8(a8, half, k, k, packed, n, epilogue, out, n));
        Future<?> second = pair.submit(() -> Int8Gemm.get().gemmS8S8(a8.asSlice(half * k), m - half, k, k, packed, n, epilogue,
                out.asSlice(half * n * Float.BYTES), n));
        first.get();
        second.get();
        return out;
    }

    @Benchmark
    public MemorySegment f32Native() {
        Int8Gemm.get().gemmF32(a32, m, k, k, w32, n, k, null, Int8Gemm.Activation.RELU, out, n);
        return out;
    }

    @Benchmark
    public MemorySegment f32Java() {
        Int8Gemm.pureJava().gemmF32(a32, m, k, k, w32, n, k, null, Int8Gemm.Activation.RELU, out, n);
        return out;
    }
}
