package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Kernels are thread-safe, even while another thread flips the process-wide ISA. */
class ConcurrencyTest {

    @Test
    void concurrentCallsWhileIsaChanges() throws Exception {
        int dim = 97;
        int rows = 64;
        try (Arena arena = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            MemorySegment matrix = arena.allocate((long) rows * dim);
            MemorySegment query = arena.allocate(dim);
            SplittableRandom random = new SplittableRandom(3);
            for (long i = 0; i < matrix.byteSize(); i++) {
                matrix.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
            }
            for (long i = 0; i < dim; i++) {
                query.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
            }
            int[] expected = new int[rows];
            for (int r = 0; r < rows; r++) {
                expected[r] = Reference.dotS8(matrix, r, dim, query, dim);
            }
            AtomicBoolean stop = new AtomicBoolean();
            String original = NativeKernels.info().isa();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                workers.add(pool.submit(() -> {
                    try (Arena local = Arena.ofConfined()) {
                        MemorySegment out = local.allocate((long) rows * Integer.BYTES);
                        for (int iter = 0; iter < 2000; iter++) {
                            NativeKernels.dotS8Batch(matrix, rows, dim, query, dim, out);
                            for (int r = 0; r < rows; r++) {
                                assertEquals(expected[r], out.getAtIndex(ValueLayout.JAVA_INT, r));
                            }
                        }
                    }
                    return null;
                }));
            }
            Future<?> flipper = pool.submit(() -> {
                List<String> isas = Isas.supported();
                for (int i = 0; !stop.get(); i++) {
                    NativeKernels.forceIsa(isas.get(i % isas.size()));
                }
                return null;
            });
            try {
                for (Future<?> worker : workers) {
                    worker.get();
                }
            } finally {
                stop.set(true);
                flipper.get();
                NativeKernels.forceIsa(original);
            }
        }
    }
}
