package dev.feedserver.generation.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test fixtures: random llama2.c checkpoints, small tokenizer files, and the shared stories260K files. */
public final class TestModels {

    /** ../shared/models/stories260K relative to the module directory (where surefire runs). */
    static final Path STORIES = Path.of("..", "..", "shared", "models", "stories260K");

    private TestModels() {}

    static boolean storiesPresent() {
        return Files.isRegularFile(STORIES.resolve("stories260K.bin")) && Files.isRegularFile(STORIES.resolve("tok512.bin"));
    }

    /**
     * Writes a random checkpoint of this shape (a negative vocab_size in the header when the
     * classifier is separate) with zero legacy RoPE tables; returns the file.
     */
    public static Path writeRandom(Path dir, LlamaConfig c, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        long bytes = LlamaCheckpoint.expectedBytes(c);
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(c.dim()).putInt(c.hiddenDim()).putInt(c.layers()).putInt(c.heads()).putInt(c.kvHeads())
                .putInt(c.sharedClassifier() ? c.vocabSize() : -c.vocabSize()).putInt(c.seqLen());
        int d = c.dim(), h = c.hiddenDim(), l = c.layers(), kv = c.kvDim();
        fill(out, random, (long) c.vocabSize() * d, 0.0f, 1.0f);   // embedding
        fill(out, random, (long) l * d, 1.0f, 0.2f);               // rms_att
        fill(out, random, (long) l * d * d, 0.0f, 0.6f / (float) Math.sqrt(d));  // wq
        fill(out, random, (long) l * kv * d, 0.0f, 0.6f / (float) Math.sqrt(d)); // wk
        fill(out, random, (long) l * kv * d, 0.0f, 0.6f / (float) Math.sqrt(d)); // wv
        fill(out, random, (long) l * d * d, 0.0f, 0.6f / (float) Math.sqrt(d));  // wo
        fill(out, random, (long) l * d, 1.0f, 0.2f);               // rms_ffn
        fill(out, random, (long) l * h * d, 0.0f, 0.6f / (float) Math.sqrt(d));  // w1
        fill(out, random, (long) l * d * h, 0.0f, 0.6f / (float) Math.sqrt(h));  // w2
        fill(out, random, (long) l * h * d, 0.0f, 0.6f / (float) Math.sqrt(d));  // w3
        fill(out, random, d, 1.0f, 0.2f);                           // rms_final
        out.position(out.position() + c.seqLen() * c.headSize() * Float.BYTES); // legacy RoPE tables: zeros
        if (!c.sharedClassifier()) {
            fill(out, random, (long) c.vocabSize() * d, 0.0f, 0.6f / (float) Math.sqrt(d));
        }
        if (out.hasRemaining()) {
            throw new IllegalStateException("writer and expectedBytes disagree: " + out.remaining() + " bytes left");
        }
        Path file = Files.createTempFile(dir, "llama", ".bin");
        Files.write(file, out.array());
        return file;
    }

    private static void fill(ByteBuffer out, SplittableRandom random, long n, float center, float spread) {
        for (long i = 0; i < n; i++) {
            out.putFloat(center + (float) (random.nextDouble() * 2 - 1) * spread);
        }
    }

    /**
     * A tokenizer file: tokens 0..2 = {@code <unk>, <s>, </s>}, then {@code <0x00>..<0xFF>}, then
     * {@code extra} pieces whose scores rise with their position (later pieces merge first).
     */
    public static byte[] tokenizerFile(List<String> extra) {
        List<byte[]> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (String special : List.of("<unk>", "<s>", "</s>")) {
            pieces.add(special.getBytes(StandardCharsets.UTF_8));
            scores.add(0.0f);
        }
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b).getBytes(StandardCharsets.UTF_8));
            scores.add(0.0f);
        }
        for (int i = 0; i < extra.size(); i++) {
            pieces.add(extra.get(i).getBytes(StandardCharsets.UTF_8));
            scores.add((float) i);
        }
        int max = pieces.stream().mapToInt(p -> p.length).max().orElse(0);
        ByteBuffer out = ByteBuffer.allocate(4 + pieces.stream().mapToInt(p -> 8 + p.length).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(max);
        for (int i = 0; i < pieces.size(); i++) {
            out.putFloat(scores.get(i)).putInt(pieces.get(i).length).put(pieces.get(i));
        }
        return out.array();
    }

    /** Pieces for a small English vocabulary with a few multi-byte characters. */
    public static List<String> smallVocabulary() {
        List<String> extra = new ArrayList<>();
        for (char ch = 'a'; ch <= 'z'; ch++) {
            extra.add(String.valueOf(ch));
        }
        extra.addAll(List.of(" ", ",", ".", "!", "?", "'", "\"", "é", "ü", "日", "本", "th", "he", "in", "er", " t",
                " th", " the", "ll", "llo", "hello", " hello", "an", " an", "nd", " and", "語"));
        return extra;
    }
}
