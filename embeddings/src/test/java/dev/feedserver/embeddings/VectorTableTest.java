package dev.feedserver.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VectorTableTest {

    @Test
    void newRowsAreZeroAndGrowAcrossChunks() {
        try (VectorTable table = new VectorTable(5, 4)) {
            table.ensureRows(10);
            assertEquals(10, table.rows());
            assertEquals(3, table.chunkCount());
            float[] out = new float[5];
            table.read(9, out);
            assertArrayEquals(new float[5], out);
            assertEquals(64, table.layout().rowBytes());
            assertEquals(2, table.rowsInChunk(2, 10));
        }
    }

    @Test
    void writeReplacesTheVectorAndInteractionsCountSeparately() {
        try (VectorTable table = new VectorTable(3, 8)) {
            table.ensureRows(1);
            table.write(0, new float[] {1, 0, 0});
            table.recordInteraction(0, 42L);
            float[] out = new float[3];
            table.read(0, out);
            assertArrayEquals(new float[] {1, 0, 0}, out, 1e-6f);
            assertEquals(1, table.interactions(0));
            assertEquals(42L, table.lastUpdateMillis(0));
        }
    }

    @Test
    void rejectsRowsOutsideTheTableAndUseAfterClose() {
        VectorTable table = new VectorTable(2, 4);
        table.ensureRows(1);
        assertThrows(IndexOutOfBoundsException.class, () -> table.read(1, new float[2]));
        table.close();
        table.close();
        assertThrows(IllegalStateException.class, () -> table.ensureRows(5));
    }

    @Test
    void invalidLayoutIsRejectedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new VectorTable(0, 4));
        assertThrows(IllegalArgumentException.class, () -> new VectorTable(4, 3));
    }
}
