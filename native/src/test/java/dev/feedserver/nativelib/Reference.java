package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Plain-Java scalar reference implementations of the kernels. */
final class Reference {

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    private Reference() {}

    /** Exact (double) value of row r's dot product, and the sum of |products| as [value, magnitude]. */
    static double[] dotF32(MemorySegment matrix, long row, long rowStride, MemorySegment query, int dim) {
        double sum = 0;
        double magnitude = 0;
        for (int k = 0; k < dim; k++) {
            double p = (double) matrix.getAtIndex(F32, row * rowStride + k) * query.getAtIndex(F32, k);
            sum += p;
            magnitude += Math.abs(p);
        }
        return new double[] {sum, magnitude};
    }

    /** int32 dot product with Java's wrap-around int arithmetic (the contract's semantics). */
    static int dotS8(MemorySegment matrix, long row, long rowStride, MemorySegment query, int dim) {
        int sum = 0;
        for (int k = 0; k < dim; k++) {
            sum += matrix.get(ValueLayout.JAVA_BYTE, row * rowStride + k) * query.get(ValueLayout.JAVA_BYTE, k);
        }
        return sum;
    }
}
