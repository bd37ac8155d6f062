package dev.feedserver.bench;

import dev.feedserver.nativelib.NativeKernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core's int8 multiply-add peak: the native register-only loop (vpdpbusd on the AVX-512
 * VNNI path) with no memory traffic. One operation is {@link #MACS_PER_OP} multiply-adds on
 * the AVX-512 path; {@link KernelsSuite} divides the real count by the measured time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PeakBenchmark {
    /** Loop rounds per operation: about 10 ms on a 400 GMAC/s core. */
    static final long ITERATIONS = 5_000_000;

    @Benchmark
    public long registerOnlyInt8Loop() {
        return NativeKernels.peakInt8Macs(ITERATIONS);
    }

    /** Multiply-adds one operation performs on the current path. */
    static long macsPerOp() {
        return NativeKernels.peakInt8Macs(1) * ITERATIONS;
    }
}
