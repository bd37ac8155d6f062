package dev.feedserver.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void normalisesASliceAndLeavesZeroAndInfiniteVectorsAlone() {
        float[] v = {9, 3, 4, 0, 0, 0, 12, 9};
        assertTrue(Vectors.normalise(v, 1, 5)); // 3, 4, 0, 0, 0 -> norm 5
        assertArrayEquals(new float[] {9, 0.6f, 0.8f, 0, 0, 0, 12, 9}, v, 1e-7f);
        float[] zero = new float[3];
        assertFalse(Vectors.normalise(zero));
        assertArrayEquals(new float[3], zero);
        float[] huge = {Float.MAX_VALUE, Float.MAX_VALUE};
        assertTrue(Vectors.normalise(huge), "the norm is summed in double, so it does not overflow");
        assertArrayEquals(new float[] {0.70710677f, 0.70710677f}, huge, 1e-6f);
        float[] infinite = {Float.POSITIVE_INFINITY, 1};
        assertFalse(Vectors.normalise(infinite));
    }
}
