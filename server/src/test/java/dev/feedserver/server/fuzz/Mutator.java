package dev.feedserver.server.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A mutational input generator for the fuzz properties: each input is a seed from the corpus
 * kept in the repository ({@code src/test/resources/fuzz/<name>/}) with 1 to 8 random edits:
 * bit flips, interesting bytes, dictionary tokens (CRLF, header names, {@code \ud800},
 * {@code 1e999}, deep brackets, bad UTF-8), inserted, deleted and repeated ranges, splices with
 * another seed, truncation. Not coverage-guided (Jazzer cannot instrument JDK 25 class files
 * yet); the corpus and dictionary steer it toward the parsers' edges instead. Immutable; the
 * caller's {@link Random} makes a run reproducible from its seed.
 */
public final class Mutator {
    private static final byte[] INTERESTING = {0, (byte) 0xff, '"', '{', '}', '[', ']', '\\', '\r', '\n', ':', ',', (byte) 0x80,
            (byte) 0xc3, (byte) 0xed, '%', ' ', '\t', '-', '0', '9', 'e', '.', 0x7f};
    private static final List<byte[]> DICTIONARY = Stream.of("\r\n", "\r\n\r\n", "Content-Length: ", "Content-Length: 99999999999\r\n",
            "Transfer-Encoding: chunked\r\n", "Content-Type: application/json\r\n", "Authorization: Bearer ", "X-API-Key: fsk_",
            "Expect: 100-continue\r\n", "\\ud800", "\\udc00", "\\u0000", "1e999", "-1e999", "NaN", "Infinity", "123456789012345678901234567890",
            "{\"events\":[", "{\"user_id\":", "[[[[[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":{\"a\":", "\"title\"", "\"tags\":[", "%ff", "%00",
            "%C3%28", "?user_id=", "&limit=", "HTTP/1.0", "GET ", "POST ", "PUT ", "\u00e9", "\"\":\"\"", ",,", "null", "true")
            .map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();

    private final List<byte[]> corpus;
    private final int maxBytes;

    private Mutator(List<byte[]> corpus, int maxBytes) {
        this.corpus = corpus;
        this.maxBytes = maxBytes;
    }

    /** A mutator over every file in {@code src/test/resources/fuzz/<name>/}. */
    public static Mutator ofCorpus(String name, int maxBytes) {
        Path dir = Path.of("src/test/resources/fuzz", name);
        try (Stream<Path> files = Files.list(dir)) {
            List<byte[]> seeds = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                seeds.add(Files.readAllBytes(f));
            }
            if (seeds.isEmpty()) {
                throw new IllegalStateException("empty fuzz corpus " + dir.toAbsolutePath());
            }
            return new Mutator(List.copyOf(seeds), maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("reading fuzz corpus " + dir.toAbsolutePath(), e);
        }
    }

    public List<byte[]> seeds() {
        return corpus;
    }

    /** The next input: a corpus seed as it is (about one in eight) or mutated. */
    public byte[] next(Random random) {
        byte[] data = corpus.get(random.nextInt(corpus.size())).clone();
        if (random.nextInt(8) == 0) {
            return data;
        }
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            data = edit(data, random);
            if (data.length > maxBytes) {
                data = Arrays.copyOf(data, maxBytes);
            }
        }
        return data;
    }

    private byte[] edit(byte[] d, Random r) {
        int n = d.length;
        switch (r.nextInt(8)) {
            case 0 -> {
                if (n > 0) {
                    d[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
                }
                return d;
            }
            case 1 -> {
                if (n > 0) {
                    d[r.nextInt(n)] = INTERESTING[r.nextInt(INTERESTING.length)];
                }
                return d;
            }
            case 2 -> {
                byte[] token = DICTIONARY.get(r.nextInt(DICTIONARY.size()));
                return insert(d, r.nextInt(n + 1), token);
            }
            case 3 -> {
                if (n == 0) {
                    return d;
                }
                int from = r.nextInt(n);
                int to = Math.min(n, from + 1 + r.nextInt(Math.min(64, n - from)));
                byte[] out = new byte[n - (to - from)];
                System.arraycopy(d, 0, out, 0, from);
                System.arraycopy(d, to, out, from, n - to);
                return out;
            }
            case 4 -> {
                if (n == 0) {
                    return d;
                }
                int from = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(16, n - from));
                byte[] piece = Arrays.copyOfRange(d, from, from + len);
                int times = 1 + r.nextInt(r.nextBoolean() ? 4 : 200);
                byte[] repeated = new byte[piece.length * times];
                for (int t = 0; t < times; t++) {
                    System.arraycopy(piece, 0, repeated, t * piece.length, piece.length);
                }
                return insert(d, from, repeated);
            }
            case 5 -> {
                byte[] other = corpus.get(r.nextInt(corpus.size()));
                int cut = r.nextInt(n + 1);
                int otherCut = r.nextInt(other.length + 1);
                byte[] out = Arrays.copyOf(d, cut + other.length - otherCut);
                System.arraycopy(other, otherCut, out, cut, other.length - otherCut);
                return out;
            }
            case 6 -> {
                byte[] random = new byte[1 + r.nextInt(8)];
                r.nextBytes(random);
                return insert(d, r.nextInt(n + 1), random);
            }
            default -> {
                return Arrays.copyOf(d, r.nextInt(n + 1));
            }
        }
    }

    private static byte[] insert(byte[] d, int at, byte[] piece) {
        byte[] out = new byte[d.length + piece.length];
        System.arraycopy(d, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(d, at, out, at + piece.length, d.length - at);
        return out;
    }
}
