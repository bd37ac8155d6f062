package dev.feedserver.bench;

import dev.feedserver.nativelib.Int8Gemm;
import dev.feedserver.nativelib.QuantizedMlp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
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
 * A whole quantized MLP forward for 2,400 rows in one downcall, on one thread: the brief's
 * 1,024 -> 256 -> 128 -> 8 model and the ranker-shaped 4,700 -> 512 -> 256 -> 8; plus the
 * pure-Java fallback on the small model. Weights are random, scaled 1/sqrt(fan-in).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MlpBenchmark {
    static final int ROWS = 2_400;

    /** Layer widths, input first. */
    @Param({"1024-256-128-8", "4700-512-256-8"})
    String widths;

    private Arena arena;
    private QuantizedMlp model;
    private QuantizedMlp javaModel;
    private MemorySegment x;
    private MemorySegment scratch;
    private MemorySegment javaScratch;
    private MemorySegment out;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = widths.split("-");
        SplittableRandom random = new SplittableRandom(3);
        List<QuantizedMlp.Layer> layers = new ArrayList<>();
        for (int l = 0; l + 1 < parts.length; l++) {
            int in = Integer.parseInt(parts[l]);
            int outWidth = Integer.parseInt(parts[l + 1]);
            float[] w = new float[in * outWidth];
            float scale = (float) (1 / Math.sqrt(in));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextGaussian() * scale;
            }
            float[] bias = new float[outWidth];
            boolean last = l + 2 == parts.length;
            layers.add(new QuantizedMlp.Layer(in, outWidth, w, bias, last ? Int8Gemm.Activation.NONE : Int8Gemm.Activation.RELU, l - 1));
        }
        model = QuantizedMlp.create(layers, layers.size() - 1);
        javaModel = QuantizedMlp.createJava(layers, layers.size() - 1);
        arena = Arena.ofShared();
        int in = Integer.parseInt(parts[0]);
        x = arena.allocate((long) ROWS * in * Float.BYTES, 64);
        for (long i = 0; i < (long) ROWS * in; i++) {
            x.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextGaussian());
        }
        scratch = arena.allocate(model.scratchBytes(ROWS), 64);
        javaScratch = arena.allocate(javaModel.scratchBytes(ROWS), 64);
        out = arena.allocate((long) ROWS * model.outDim() * Float.BYTES, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        javaModel.close();
        arena.close();
    }

    @Benchmark
    public MemorySegment forward() {
        model.forward(x, ROWS, scratch, out);
        return out;
    }

    @Benchmark
    public MemorySegment forwardJava() {
        javaModel.forward(x, ROWS, javaScratch, out);
        return out;
    }
}
