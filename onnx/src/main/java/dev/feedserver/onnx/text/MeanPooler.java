package dev.feedserver.onnx.text;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Sentence embeddings from token embeddings, as sentence-transformers does for MiniLM: the mean
 * of the last hidden state over the tokens the attention mask keeps, then L2-normalised.
 * Sums run in double so long sequences lose nothing. Stateless and thread-safe.
 */
final class MeanPooler {

    private MeanPooler() {
    }

    /**
     * One unit vector per row of {@code batch}.
     *
     * @param hidden the model's {@code [rows, length, dim]} output, row-major
     * @throws IllegalStateException if {@code hidden} has the wrong size, or a pooled value is
     *                               not finite (the message names the text)
     */
    static float[][] pool(FloatBuffer hidden, TokenBatch batch, int dim) {
        int rows = batch.rows();
        int length = batch.length();
        long expected = (long) rows * length * dim;
        if (hidden.remaining() != expected) {
            throw new IllegalStateException("last_hidden_state holds " + hidden.remaining() + " values, expected "
                    + rows + " x " + length + " x " + dim);
        }
        int start = hidden.position();
        long[] mask = batch.attentionMask();
        float[][] out = new float[rows][];
        double[] sum = new double[dim];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(sum, 0.0);
            int kept = 0;
            for (int t = 0; t < length; t++) {
                if (mask[r * length + t] == 0) {
                    continue;
                }
                kept++;
                int base = start + (r * length + t) * dim;
                for (int d = 0; d < dim; d++) {
                    sum[d] += hidden.get(base + d);
                }
            }
            out[r] = normalise(sum, Math.max(kept, 1), batch.textIndex()[r]);
        }
        return out;
    }

    private static float[] normalise(double[] sum, int count, int textIndex) {
        double squares = 0.0;
        for (double s : sum) {
            double mean = s / count;
            if (!Double.isFinite(mean)) {
                throw new IllegalStateException("MiniLM produced a non-finite embedding (" + mean + ") for text #" + textIndex);
            }
            squares += mean * mean;
        }
        float[] v = new float[sum.length];
        double norm = Math.sqrt(squares);
        if (norm == 0.0) {
            return v;
        }
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (sum[d] / count / norm);
        }
        return v;
    }
}
