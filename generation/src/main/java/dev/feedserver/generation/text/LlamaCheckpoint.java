package dev.feedserver.generation.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads llama2.c ("legacy", version 0) checkpoints: a header of seven little-endian int32
 * ({@code dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len}; a negative
 * vocab_size means a separate classifier follows), then float32 tensors in the order of
 * docs/generation.md, including two legacy RoPE tables that are skipped. The validation matches
 * the native loader's: sizes in range, heads divisible by kv heads, even head size, and the file
 * size exactly what the header describes.
 *
 * <p>Threading: stateless; safe from any thread.
 */
public final class LlamaCheckpoint {

    /** Bytes of the header. */
    public static final int HEADER_BYTES = 28;

    private static final int MAX_WIDTH = 1 << 20;
    private static final int MAX_LAYERS = 4096;
    private static final String[] FIELDS = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size",
        "seq_len"};

    private LlamaCheckpoint() {}

    /**
     * The validated header of {@code path}.
     *
     * @throws IllegalArgumentException if the file is not a valid checkpoint (the message says why)
     * @throws UncheckedIOException     if it cannot be read
     */
    public static LlamaConfig readConfig(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return readConfig(path, channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads every tensor as float (for the Java reference forward pass). */
    public static LlamaWeights readWeights(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            LlamaConfig config = readConfig(path, channel);
            long length = channel.size() - HEADER_BYTES;
            if (length > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(path + ": too large for the Java reference (over 2 GiB of weights)");
            }
            // Mapped, not read into the heap: the float arrays are the only copy that stays.
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, HEADER_BYTES, length).order(ByteOrder.LITTLE_ENDIAN);
            return LlamaWeights.read(config, bytes.asFloatBuffer(), path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + path + ": " + e.getMessage(), e);
        }
    }

    /** Bytes a checkpoint with this shape has (header, tensors and the legacy RoPE tables). */
    public static long expectedBytes(LlamaConfig c) {
        long d = c.dim(), h = c.hiddenDim(), l = c.layers(), kv = c.kvDim(), v = c.vocabSize();
        long floats = v * d + l * d + l * d * d * 2 + l * kv * d * 2 + l * d + l * h * d * 3 + d
                + (long) c.seqLen() * c.headSize();
        if (!c.sharedClassifier()) {
            floats += v * d;
        }
        return HEADER_BYTES + floats * Float.BYTES;
    }

    private static LlamaConfig readConfig(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (size < HEADER_BYTES) {
            throw new IllegalArgumentException(path + " has " + size + " bytes, shorter than the " + HEADER_BYTES
                    + "-byte llama2.c header (truncated?)");
        }
        while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
            // read fully
        }
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) {
            h[i] = header.getInt(i * 4);
            long v = i == 5 ? Math.abs((long) h[i]) : h[i];
            int limit = i == 2 ? MAX_LAYERS : MAX_WIDTH;
            if (v < 1 || v > limit) {
                throw new IllegalArgumentException(path + ": header field " + FIELDS[i] + "=" + h[i]
                        + " is out of range (1.." + limit + "); not a llama2.c checkpoint?");
            }
        }
        LlamaConfig c = new LlamaConfig(h[0], h[1], h[2], h[3], h[4], Math.abs(h[5]), h[6], h[5] > 0);
        if (c.dim() % c.heads() != 0) {
            throw new IllegalArgumentException(path + ": dim=" + c.dim() + " is not divisible by n_heads=" + c.heads());
        }
        if (c.kvHeads() > c.heads() || c.heads() % c.kvHeads() != 0) {
            throw new IllegalArgumentException(path + ": n_heads=" + c.heads() + " is not a multiple of n_kv_heads="
                    + c.kvHeads());
        }
        if (c.headSize() % 2 != 0) {
            throw new IllegalArgumentException(path + ": head size " + c.headSize()
                    + " is odd (rotary embedding needs pairs)");
        }
        long expected = expectedBytes(c);
        if (size != expected) {
            throw new IllegalArgumentException(path + " has " + size + " bytes but its header (" + c + ") describes "
                    + expected + ": " + (size < expected ? "the file is truncated" : "unexpected trailing bytes"));
        }
        return c;
    }

    /** Reads {@code n} floats from {@code in}, rejecting non-finite values (a corrupt file). */
    static float[] floats(FloatBuffer in, int n, String tensor, int layer, Path path) {
        float[] out = new float[n];
        in.get(out);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(out[i])) {
                throw new IllegalArgumentException(path + ": tensor " + tensor + " (layer " + layer + ") element " + i
                        + " is not finite; the file is corrupt");
            }
        }
        return out;
    }
}
