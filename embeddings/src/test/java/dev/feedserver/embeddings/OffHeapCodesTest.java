package dev.feedserver.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.feedserver.nativelib.VectorKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OffHeapCodesTest {

    @Test
    void rowsGrowAcrossChunksAndUnwrittenRowsAreZeroWithScaleZero() {
        try (OffHeapCodes codes = new OffHeapCodes(70, 4); Arena arena = Arena.ofConfined()) {
            assertEquals(128, codes.rowStride(), "70 codes padded to 64-byte rows");
            MemorySegment src = arena.allocate(70);
            src.fill((byte) 3);
            codes.write(9, src, 0, 0.5f);
            assertEquals(10, codes.rows());
            assertEquals(3, codes.chunkCount(codes.rows()));
            assertEquals(2, codes.rowsInChunk(2, 10));
            assertEquals(0.5f, codes.scale(9));
            assertEquals(0f, codes.scale(8));
            assertEquals(0f, codes.scale(1_000), "beyond the table");
            float[] scales = new float[4];
            codes.copyChunkScales(2, scales);
            assertEquals(0f, scales[0]);
            assertEquals(0.5f, scales[1]);
            MemorySegment chunk = codes.chunk(2);
            assertEquals(3, chunk.get(ValueLayout.JAVA_BYTE, 128 + 69), "row 9 is the second of chunk 2");
            assertEquals(0, chunk.get(ValueLayout.JAVA_BYTE, 128 + 70), "padding stays zero");
            assertEquals(0, chunk.get(ValueLayout.JAVA_BYTE, 0), "row 8 was never written");
        }
    }

    @Test
    void oneNativeScanPerChunkGivesTheExactDotProducts() {
        int width = 37;
        int rows = 50;
        SplittableRandom random = new SplittableRandom(3);
        byte[][] expected = new byte[rows][width];
        try (OffHeapCodes codes = new OffHeapCodes(width, 16); Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(width);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < width; j++) {
                    expected[r][j] = (byte) (random.nextInt(255) - 127);
                    src.set(ValueLayout.JAVA_BYTE, j, expected[r][j]);
                }
                codes.write(r, src, 0, 1f);
            }
            MemorySegment query = arena.allocate(width);
            byte[] q = new byte[width];
            for (int j = 0; j < width; j++) {
                q[j] = (byte) (random.nextInt(255) - 127);
                query.set(ValueLayout.JAVA_BYTE, j, q[j]);
            }
            MemorySegment out = arena.allocate(16L * Integer.BYTES);
            for (int c = 0; c < codes.chunkCount(rows); c++) {
                int n = codes.rowsInChunk(c, rows);
                VectorKernels.get().dotS8Batch(codes.chunk(c), n, codes.rowStride(), query, width, out);
                for (int i = 0; i < n; i++) {
                    int dot = 0;
                    for (int j = 0; j < width; j++) {
                        dot += expected[c * 16 + i][j] * q[j];
                    }
                    assertEquals(dot, out.getAtIndex(ValueLayout.JAVA_INT, i), "row " + (c * 16 + i));
                }
            }
        }
    }

    @Test
    void rejectsBadShapesAndUseAfterClose() {
        assertThrows(IllegalArgumentException.class, () -> new OffHeapCodes(0, 4));
        assertThrows(IllegalArgumentException.class, () -> new OffHeapCodes(8, 3));
        OffHeapCodes codes = new OffHeapCodes(8, 4);
        assertThrows(IndexOutOfBoundsException.class, () -> codes.write(-1, MemorySegment.ofArray(new byte[8]), 0, 1f));
        codes.close();
        codes.close();
        assertThrows(IllegalStateException.class, () -> codes.ensureRows(1));
    }
}
