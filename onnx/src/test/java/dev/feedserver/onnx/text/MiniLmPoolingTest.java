package dev.feedserver.onnx.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Mean pooling over the attention mask and L2 normalisation, against hand-computed vectors. */
class MiniLmPoolingTest {

    // two rows of three tokens, dim 2; row 0 keeps tokens 0 and 1, row 1 keeps token 0 only
    private static TokenBatch batch() {
        return new TokenBatch(2, 3, new long[6], new long[] {1, 1, 0, 1, 0, 0}, new long[6], new int[] {5, 9});
    }

    @Test
    void averagesTheMaskedTokensOnlyThenNormalises() {
        float[] hidden = {
            3, 0,   1, 4,   1000, -1000,   // row 0: mean (2, 2); the padded token must not count
            0, -5,  77, 77,  -3, 9         // row 1: mean (0, -5)
        };
        float[][] out = MeanPooler.pool(FloatBuffer.wrap(hidden), batch(), 2);
        float s = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {s, s}, out[0], 1e-7f);
        assertArrayEquals(new float[] {0, -1}, out[1], 1e-7f);
    }

    @Test
    void aNonFiniteValueIsReportedWithItsText() {
        float[] hidden = {1, 2, 3, 4, 0, 0, Float.NaN, 1, 0, 0, 0, 0};
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MeanPooler.pool(FloatBuffer.wrap(hidden), batch(), 2));
        assertTrue(e.getMessage().contains("non-finite") && e.getMessage().contains("#9"), e.getMessage());
        hidden[6] = Float.POSITIVE_INFINITY;
        assertThrows(IllegalStateException.class, () -> MeanPooler.pool(FloatBuffer.wrap(hidden), batch(), 2));
    }

    @Test
    void aMisshapenOutputIsRejected() {
        assertThrows(IllegalStateException.class, () -> MeanPooler.pool(FloatBuffer.wrap(new float[11]), batch(), 2));
    }
}
