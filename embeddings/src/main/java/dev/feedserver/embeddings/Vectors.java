package dev.feedserver.embeddings;

/** Small float-vector helpers shared by the store, training and retrieval. Stateless. */
public final class Vectors {
    private Vectors() {
    }

    /**
     * Scales {@code v[offset .. offset + dim)} to unit L2 length in place (the norm is summed in
     * double); returns false and leaves the vector alone when its norm is zero or not finite.
     */
    public static boolean normalise(float[] v, int offset, int dim) {
        // Four partial sums: independent chains the CPU overlaps (this runs on every drift).
        double n0 = 0;
        double n1 = 0;
        double n2 = 0;
        double n3 = 0;
        int d = 0;
        for (; d + 3 < dim; d += 4) {
            n0 += (double) v[offset + d] * v[offset + d];
            n1 += (double) v[offset + d + 1] * v[offset + d + 1];
            n2 += (double) v[offset + d + 2] * v[offset + d + 2];
            n3 += (double) v[offset + d + 3] * v[offset + d + 3];
        }
        for (; d < dim; d++) {
            n0 += (double) v[offset + d] * v[offset + d];
        }
        double norm = (n0 + n1) + (n2 + n3);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            return false;
        }
        float inverse = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dim; i++) {
            v[offset + i] *= inverse;
        }
        return true;
    }

    /** {@link #normalise(float[], int, int)} over the whole array. */
    public static boolean normalise(float[] v) {
        return normalise(v, 0, v.length);
    }
}
