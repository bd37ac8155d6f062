package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.KernelBackend;
import dev.feedserver.nativelib.QuantizedMlp;
import dev.feedserver.onnx.mlp.TestMlps.Mlp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A quick timing, not a benchmark and not an assertion: one batch of 2,400 candidates through a
 * 4,700 -> 256 -> 128 -> 4 x 1 ranker, ONNX Runtime float and int8 and our native int8 MLP, one
 * thread each, median of 20 runs after 3 warm-ups. Run with
 * {@code -Donnx.timing=true -Dtest=OnnxMlpTimingTest}; it prints the figures.
 */
@EnabledIfSystemProperty(named = "onnx.timing", matches = "true")
class OnnxMlpTimingTest {

    private static final int ROWS = 2400;
    private static final int RUNS = 20;

    @Test
    void printMedians() throws Exception {
        Mlp m = TestMlps.tree(41, 4700, new int[] {256, 128}, 4);
        float[] x = TestMlps.gaussianRows(42, ROWS, m.inDim());
        float[] out = new float[ROWS * m.outDim()];
        MlpExportInfo info = MlpExportInfo.of("timing", 1);
        try (OnnxMlpRunner f = new OnnxMlpRunner(OnnxMlpExporter.exportFloat(m.layers(), m.outputs(), info))) {
            report("ORT float, 1 thread", median(() -> f.run(x, ROWS, out)));
        }
        try (OnnxMlpRunner q = new OnnxMlpRunner(OnnxMlpExporter.exportInt8(m.layers(), m.outputs(), info))) {
            report("ORT int8 (dynamic), 1 thread", median(() -> q.run(x, ROWS, out)));
        }
        if (KernelBackend.current() == KernelBackend.NATIVE) {
            try (QuantizedMlp ours = QuantizedMlp.createNative(m.layers(), m.outputs()); Arena arena = Arena.ofConfined()) {
                MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_FLOAT, x);
                MemorySegment scratch = arena.allocate(ours.scratchBytes(ROWS), 64);
                MemorySegment o = arena.allocate(ValueLayout.JAVA_FLOAT, (long) ROWS * m.outDim());
                report("feedserver native int8 MLP, 1 thread", median(() -> ours.forward(in, ROWS, scratch, o)));
            }
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private static double median(Run run) throws Exception {
        for (int i = 0; i < 3; i++) {
            run.run();
        }
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            run.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return (ms[RUNS / 2 - 1] + ms[RUNS / 2]) / 2;
    }

    private static void report(String what, double medianMs) {
        System.out.printf("timing %-40s median %8.2f ms per %d rows%n", what, medianMs, ROWS);
    }
}
