package dev.feedserver.bench;

import dev.feedserver.nativelib.NativeKernels;
import dev.feedserver.nativelib.feed_native_h;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one FFM downcall into libfeednative, on a call that does almost nothing (a
 * one-row, 4-element float dot product): a plain downcall handle, a {@code critical} one (no
 * thread-state transition), a critical one that accepts heap arrays directly, and the checked
 * {@link NativeKernels} facade the server uses. Each figure is an upper bound on the overhead
 * (it includes the 4 multiply-adds).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DowncallBenchmark {
    private static final int DIM = 4;
    private static final MethodHandle PLAIN = Linker.nativeLinker()
            .downcallHandle(feed_native_h.fn_dot_f32_batch$address(), feed_native_h.fn_dot_f32_batch$descriptor());
    private static final MethodHandle CRITICAL = Linker.nativeLinker()
            .downcallHandle(feed_native_h.fn_dot_f32_batch$address(), feed_native_h.fn_dot_f32_batch$descriptor(),
                    Linker.Option.critical(false));
    private static final MethodHandle CRITICAL_HEAP = Linker.nativeLinker()
            .downcallHandle(feed_native_h.fn_dot_f32_batch$address(), feed_native_h.fn_dot_f32_batch$descriptor(),
                    Linker.Option.critical(true));

    private Arena arena;
    private MemorySegment matrix;
    private MemorySegment query;
    private MemorySegment out;
    private MemorySegment heapMatrix;
    private MemorySegment heapQuery;
    private MemorySegment heapOut;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        matrix = arena.allocate((long) DIM * Float.BYTES, 64);
        query = arena.allocate((long) DIM * Float.BYTES, 64);
        out = arena.allocate(Float.BYTES, 64);
        heapMatrix = MemorySegment.ofArray(new float[] {1, 2, 3, 4});
        heapQuery = MemorySegment.ofArray(new float[] {4, 3, 2, 1});
        heapOut = MemorySegment.ofArray(new float[1]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int plainOffHeap() throws Throwable {
        return (int) PLAIN.invokeExact(matrix, 1L, (long) DIM, query, DIM, out);
    }

    @Benchmark
    public int criticalOffHeap() throws Throwable {
        return (int) CRITICAL.invokeExact(matrix, 1L, (long) DIM, query, DIM, out);
    }

    @Benchmark
    public int criticalHeap() throws Throwable {
        return (int) CRITICAL_HEAP.invokeExact(heapMatrix, 1L, (long) DIM, heapQuery, DIM, heapOut);
    }

    @Benchmark
    public MemorySegment checkedFacade() {
        NativeKernels.dotF32Batch(matrix, 1, DIM, query, DIM, out);
        return out;
    }
}
