package dev.feedserver.onnx.mlp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.onnx.mlp.TestMlps.Mlp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OnnxMlpRunner: right answers as the row count changes, both input kinds, argument checks, lifecycle. */
class OnnxMlpRunnerTest {

    private static final Mlp MLP = TestMlps.rankerTree(31);
    private static final byte[] MODEL = OnnxMlpExporter.exportFloat(MLP.layers(), MLP.outputs(), MlpExportInfo.of("t", 1));

    @Test
    void changingRowCountsReuseTheRunner() throws Exception {
        try (OnnxMlpRunner runner = new OnnxMlpRunner(MODEL, 2, false)) {
            assertEquals(300, runner.inDim());
            assertEquals(4, runner.outDim());
            for (int rows : new int[] {1, 7, 300, 7, 300, 0, 2}) {
                float[] x = TestMlps.gaussianRows(rows, rows, 300);
                float[] out = new float[rows * 4 + 3];
                Arrays.fill(out, -99f);
                runner.run(x, rows, out);
                OnnxMlpExportFloatTest.assertClose(TestMlps.forward(MLP, x, rows),
                        Arrays.copyOf(out, rows * 4), rows + " rows");
                assertEquals(-99f, out[rows * 4], "nothing written past the rows");
            }
        }
    }

    @Test
    void segmentsNativeAndHeapGiveTheSameAsArrays() throws Exception {
        int rows = 50;
        float[] x = TestMlps.gaussianRows(32, rows, 300);
        float[] expected = new float[rows * 4];
        try (OnnxMlpRunner runner = new OnnxMlpRunner(MODEL); Arena arena = Arena.ofConfined()) {
            runner.run(x, rows, expected);
            MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_FLOAT, x);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, rows * 4L);
            runner.run(in, rows, out);
            assertTrue(Arrays.equals(expected, out.toArray(ValueLayout.JAVA_FLOAT)), "native segments");
            float[] heapOut = new float[rows * 4];
            runner.run(MemorySegment.ofArray(x), rows, MemorySegment.ofArray(heapOut));
            assertTrue(Arrays.equals(expected, heapOut), "heap segments");
        }
    }

    @Test
    void badArgumentsAndClosedRunnerFailClearly() throws Exception {
        OnnxMlpRunner runner = new OnnxMlpRunner(MODEL);
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> runner.run(new float[299], 1, new float[4]));
        assertTrue(small.getMessage().contains("x holds 299 floats but 1 rows x 300 need 300"), small.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> runner.run(new float[600], 2, new float[7]));
        assertTrue(out.getMessage().contains("out holds 7 floats but 2 rows x 4 need 8"), out.getMessage());
        assertThrows(IllegalArgumentException.class, () -> runner.run(new float[0], -1, new float[0]));
        runner.close();
        assertDoesNotThrow(runner::close);
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> runner.run(new float[300], 1, new float[4]));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void modelsWithTwoOutputsAreRefused() {
        float[] w = {1, 2, 3, 4};
        byte[] twoOutputs = new HandGraphs().input("x", 2).output("a", 2).output("b", 2)
                .constant("w", w, true, 2, 2)
                .node("MatMul", "m1", List.of("x", "w"), "a")
                .node("MatMul", "m2", List.of("x", "w"), "b")
                .model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxMlpRunner(twoOutputs));
        assertTrue(e.getMessage().contains("one input and one output; this one has 1 and 2"), e.getMessage());
    }
}
