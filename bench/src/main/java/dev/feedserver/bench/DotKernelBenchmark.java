package dev.feedserver.bench;

import dev.feedserver.nativelib.NativeKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
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
 * Batched float dot products as retrieval runs them (rows x dim, one query): the native kernel
 * through FFM against a plain Java loop over the same off-heap memory (the downcall cost alone
 * is {@link DowncallBenchmark}). Part of {@code ./feedserver bench kernels}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DotKernelBenchmark {
    @Param({"16384"})
    int rows;

    @Param({"48"})
    int dim;

    private Arena arena;
    private MemorySegment matrix;
    private MemorySegment query;
    private MemorySegment out;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        matrix = arena.allocate((long) rows * dim * Float.BYTES, 64);
        query = arena.allocate((long) dim * Float.BYTES, 64);
        out = arena.allocate((long) rows * Float.BYTES, 64);
        SplittableRandom random = new SplittableRandom(1);
        for (long i = 0; i < (long) rows * dim; i++) {
            matrix.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextGaussian());
        }
        for (int k = 0; k < dim; k++) {
            query.setAtIndex(ValueLayout.JAVA_FLOAT, k, (float) random.nextGaussian());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment nativeBatch() {
        NativeKernels.dotF32Batch(matrix, rows, dim, query, dim, out);
        return out;
    }

    @Benchmark
    public MemorySegment javaLoop() {
        for (int r = 0; r < rows; r++) {
            long base = (long) r * dim;
            float sum = 0;
            for (int k = 0; k < dim; k++) {
                sum += matrix.getAtIndex(ValueLayout.JAVA_FLOAT, base + k) * query.getAtIndex(ValueLayout.JAVA_FLOAT, k);
            }
            out.setAtIndex(ValueLayout.JAVA_FLOAT, r, sum);
        }
        return out;
    }
}
