package dev.feedserver.generation.text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The llama2.c byte-pair tokenizer ({@code tokenizer.bin} / {@code tok512.bin}): an int32
 * max_token_length, then per token a float32 score, an int32 byte length and the bytes, all
 * little-endian. Token 1 is BOS, 2 is EOS; byte-fallback tokens are spelled {@code <0xXX>}.
 *
 * <p>Encoding: a space token is prepended to non-empty text (the leading-space convention of
 * sentencepiece), each code point becomes its own token if the vocabulary has it and otherwise one
 * byte-fallback token per UTF-8 byte, then the adjacent pair whose concatenation is a token with
 * the highest score is merged (the first such pair on ties) until no pair merges. Decoding a
 * token gives its bytes, except that a piece following BOS loses its leading space and a
 * {@code <0xXX>} token is the raw byte. Pieces need not be whole UTF-8 sequences: use
 * {@link Utf8StreamDecoder} to turn a stream of them into text.
 *
 * <p>Threading and lifecycle: immutable after {@link #load}; safe to share between threads.
 */
public final class BpeTokenizer {

    /** Beginning of sequence. */
    public static final int BOS = 1;
    /** End of sequence. */
    public static final int EOS = 2;

    private final byte[][] pieces;
    private final float[] scores;
    private final Map<String, Integer> ids;   // piece bytes as ISO-8859-1 text -> id
    private final int[] byteToken = new int[256];
    private final int[] tokenByte;            // the raw byte of a <0xXX> token, else -1
    private final int spaceToken;

    private BpeTokenizer(byte[][] pieces, float[] scores) {
        this.pieces = pieces;
        this.scores = scores;
        this.ids = new HashMap<>(pieces.length * 2);
        this.tokenByte = new int[pieces.length];
        Arrays.fill(byteToken, -1);
        Arrays.fill(tokenByte, -1);
        for (int id = 0; id < pieces.length; id++) {
            String key = key(pieces[id]);
            ids.putIfAbsent(key, id);
            int raw = rawByte(key);
            if (raw >= 0) {
                tokenByte[id] = raw;
                if (byteToken[raw] < 0) {
                    byteToken[raw] = id;
                }
            }
        }
        Integer space = ids.get(" ");
        this.spaceToken = space == null ? -1 : space;
    }

    /**
     * Reads a tokenizer file with {@code vocabSize} tokens (the model's vocab_size).
     *
     * @throws IllegalArgumentException if the file is truncated, has trailing bytes or a bad entry
     * @throws UncheckedIOException     if it cannot be read
     */
    public static BpeTokenizer load(Path path, int vocabSize) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + path + ": " + e.getMessage(), e);
        }
        return parse(bytes, vocabSize, path.toString());
    }

    /** As {@link #load}, from the file's bytes; {@code source} names it in errors. */
    public static BpeTokenizer parse(byte[] file, int vocabSize, String source) {
        if (vocabSize < 3) {
            throw new IllegalArgumentException(source + ": vocabSize must be >= 3 (got " + vocabSize + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 4) {
            throw new IllegalArgumentException(source + ": " + file.length + " bytes is too short for a tokenizer");
        }
        int maxLength = in.getInt();
        byte[][] pieces = new byte[vocabSize][];
        float[] scores = new float[vocabSize];
        for (int id = 0; id < vocabSize; id++) {
            if (in.remaining() < 8) {
                throw new IllegalArgumentException(source + ": truncated at token " + id + " of " + vocabSize);
            }
            scores[id] = in.getFloat();
            int length = in.getInt();
            if (length < 0 || length > maxLength || length > in.remaining()) {
                throw new IllegalArgumentException(source + ": token " + id + " has byte length " + length
                        + " (max_token_length " + maxLength + ", " + in.remaining() + " bytes left)");
            }
            pieces[id] = new byte[length];
            in.get(pieces[id]);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(source + ": " + in.remaining() + " trailing bytes after " + vocabSize
                    + " tokens (wrong vocab size?)");
        }
        return new BpeTokenizer(pieces, scores);
    }

    /** Number of tokens. */
    public int vocabSize() {
        return pieces.length;
    }

    /**
     * Tokens of {@code text}, optionally starting with BOS and ending with EOS.
     *
     * @throws IllegalArgumentException if a byte has no fallback token
     */
    public int[] encode(String text, boolean bos, boolean eos) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[utf8.length + 3];
        int n = 0;
        if (bos) {
            tokens[n++] = BOS;
        }
        int first = n;
        if (utf8.length > 0 && spaceToken >= 0) {
            tokens[n++] = spaceToken;
        }
        for (int i = 0; i < utf8.length; ) {
            int length = Math.min(sequenceLength(utf8[i]), utf8.length - i);
            Integer id = ids.get(new String(utf8, i, length, StandardCharsets.ISO_8859_1));
            if (id != null) {
                tokens[n++] = id;
            } else {
                for (int b = i; b < i + length; b++) {
                    int fallback = byteToken[utf8[b] & 0xFF];
                    if (fallback < 0) {
                        throw new IllegalArgumentException(String.format(
                                "encode: byte 0x%02X has neither a token nor a <0x%02X> fallback token", utf8[b] & 0xFF,
                                utf8[b] & 0xFF));
                    }
                    tokens[n++] = fallback;
                }
            }
            i += length;
        }
        n = first + merge(tokens, first, n - first);
        if (eos) {
            tokens[n++] = EOS;
        }
        return Arrays.copyOf(tokens, n);
    }

    /** Greedy highest-score merges over tokens[from .. from+count); returns the new count. */
    private int merge(int[] tokens, int from, int count) {
        for (;;) {
            float best = Float.NEGATIVE_INFINITY;
            int bestId = -1;
            int bestAt = -1;
            for (int i = from; i < from + count - 1; i++) {
                Integer id = ids.get(key(pieces[tokens[i]]) + key(pieces[tokens[i + 1]]));
                if (id != null && scores[id] > best) {
                    best = scores[id];
                    bestId = id;
                    bestAt = i;
                }
            }
            if (bestId < 0) {
                return count;
            }
            tokens[bestAt] = bestId;
            System.arraycopy(tokens, bestAt + 2, tokens, bestAt + 1, from + count - bestAt - 2);
            count--;
        }
    }

    /**
     * The bytes {@code token} contributes after {@code previous}: its piece, without the leading
     * space right after BOS, or the raw byte of a {@code <0xXX>} token.
     */
    public byte[] piece(int previous, int token) {
        if (token < 0 || token >= pieces.length) {
            throw new IllegalArgumentException("piece: token " + token + " is outside 0.." + (pieces.length - 1));
        }
        if (tokenByte[token] >= 0) {
            return new byte[] {(byte) tokenByte[token]};
        }
        byte[] piece = pieces[token];
        if (previous == BOS && piece.length > 0 && piece[0] == ' ') {
            return Arrays.copyOfRange(piece, 1, piece.length);
        }
        return piece;
    }

    /** The text of a token sequence (BOS and EOS contribute nothing), decoded as UTF-8. */
    public String decode(int[] tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = -1;
        for (int token : tokens) {
            if (token != BOS && token != EOS) {
                out.writeBytes(piece(previous, token));
            }
            previous = token;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The raw piece of {@code token}, as stored. */
    public byte[] rawPiece(int token) {
        return pieces[token].clone();
    }

    /** The merge score of {@code token}. */
    public float score(int token) {
        return scores[token];
    }

    private static String key(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** 0..255 for a piece spelled exactly {@code <0xXX>} (hex digits), else -1. */
    private static int rawByte(String key) {
        if (key.length() != 6 || !key.startsWith("<0x") || key.charAt(5) != '>') {
            return -1;
        }
        int hi = Character.digit(key.charAt(3), 16), lo = Character.digit(key.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    /** Bytes of the UTF-8 sequence a lead byte starts (1 for continuation or invalid bytes). */
    static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        if (b >= 0xF0 && b <= 0xF7) {
            return 4;
        }
        if (b >= 0xE0) {
            return b <= 0xEF ? 3 : 1;
        }
        return b >= 0xC0 ? 2 : 1;
    }
}
