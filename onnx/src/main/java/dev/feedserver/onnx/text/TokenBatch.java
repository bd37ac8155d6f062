package dev.feedserver.onnx.text;

/**
 * The model inputs for one sub-batch: {@code rows} token sequences padded with zeros to the
 * longest, {@code length}, stored row-major ({@code rows * length} values each). Texts without
 * word tokens are left out; {@code textIndex[r]} is the position in the caller's list of the
 * text in row {@code r}. The arrays are owned by the batch; treat them as read-only.
 */
record TokenBatch(int rows, int length, long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int[] textIndex) {

    TokenBatch {
        int cells = rows * length;
        if (inputIds.length != cells || attentionMask.length != cells || tokenTypeIds.length != cells
                || textIndex.length != rows) {
            throw new IllegalArgumentException("token batch arrays do not match " + rows + " x " + length);
        }
    }

    /** The shape of every input tensor: {@code [rows, length]}. */
    long[] shape() {
        return new long[] {rows, length};
    }
}
