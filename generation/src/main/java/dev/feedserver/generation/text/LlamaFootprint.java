package dev.feedserver.generation.text;

import dev.feedserver.nativelib.NativeLlama;

/**
 * Estimates a model's resident bytes from its header alone, before it is loaded (what a memory
 * budget can plan with; {@link LlamaModel#residentBytes()} is the measured figure once loaded).
 * Mirrors the native allocation: every tensor in a 64-byte-aligned block, int8 rows padded to
 * whole groups plus one float scale per group, float RMSNorm weights, the RoPE cos/sin tables.
 *
 * <p>Threading: stateless.
 */
public final class LlamaFootprint {

    private LlamaFootprint() {}

    /**
     * Bytes the native model will allocate for these weights.
     *
     * @param groupSize int8 group size (0 = the default, 64); ignored for float
     */
    public static long estimate(LlamaConfig c, WeightMode mode, int groupSize) {
        int group = groupSize == 0 ? NativeLlama.DEFAULT_GROUP_SIZE : groupSize;
        long d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), v = c.vocabSize();
        long perLayer = 2 * block(d * 4)
                + 2 * matrix(d, d, mode, group) + 2 * matrix(kv, d, mode, group)
                + 2 * matrix(h, d, mode, group) + matrix(d, h, mode, group);
        long total = c.layers() * perLayer + matrix(v, d, mode, group) + block(d * 4)
                + 2 * block((long) c.seqLen() * (c.headSize() / 2) * 4);
        if (!c.sharedClassifier()) {
            total += matrix(v, d, mode, group);
        }
        return total;
    }

    /** Bytes one session with {@code maxSeq} positions allocates natively (0 = seq_len), before its fixed header. */
    public static long sessionEstimate(LlamaConfig c, WeightMode mode, int groupSize, int maxSeq) {
        int group = groupSize == 0 ? NativeLlama.DEFAULT_GROUP_SIZE : groupSize;
        long seq = maxSeq == 0 ? c.seqLen() : maxSeq;
        long total = 4 * block(c.dim() * 4L) + 2 * block(c.hiddenDim() * 4L) + block(c.heads() * seq * 4)
                + 2 * block(c.layers() * seq * c.kvDim() * 4);
        if (mode == WeightMode.INT8) {
            long padded = (Math.max(c.dim(), c.hiddenDim()) + group - 1) / group * group;
            total += block(padded) + block(padded / group * 4);
        }
        return total;
    }

    private static long matrix(long rows, long cols, WeightMode mode, int group) {
        if (mode == WeightMode.FLOAT32) {
            return block(rows * cols * 4);
        }
        long groups = (cols + group - 1) / group;
        return block(rows * groups * group) + block(rows * groups * 4);
    }

    private static long block(long bytes) {
        return Math.max(64, (bytes + 63) / 64 * 64);
    }
}
