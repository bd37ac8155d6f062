package dev.feedserver.generation.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Encoding and decoding of the llama2.c tokenizer on a tokenizer built here (and on tok512 when present). */
class BpeTokenizerTest {

    private static final List<String> VOCAB = TestModels.smallVocabulary();
    private final BpeTokenizer tokenizer = BpeTokenizer.parse(TestModels.tokenizerFile(VOCAB), 259 + VOCAB.size(),
            "test tokenizer");

    @ParameterizedTest
    @ValueSource(strings = {"hello", "the cat and the hat", "Hello, World!", "it's \"quoted\"? yes.",
        "  spaces  and\ttabs\n", "café über", "日本語", "emoji 🙂 falls back to bytes", "mixed é日🙂x", ""})
    void roundTrips(String text) {
        int[] tokens = tokenizer.encode(text, true, true);
        assertEquals(BpeTokenizer.BOS, tokens[0]);
        assertEquals(BpeTokenizer.EOS, tokens[tokens.length - 1]);
        // The leading space token prepended to non-empty text is dropped again after BOS.
        assertEquals(text, tokenizer.decode(tokens));
    }

    @Test
    void mergesTheHighestScoredPairsFirst() {
        int[] tokens = tokenizer.encode("hello the", false, false);
        // " hello" and " the" are vocabulary pieces: the leading space joins the first word.
        assertEquals(List.of(" hello", " the"), pieces(tokens));
    }

    @Test
    void unknownCodePointsUseByteFallback() {
        int[] tokens = tokenizer.encode("🙂", false, false);
        byte[] utf8 = "🙂".getBytes(StandardCharsets.UTF_8);
        assertEquals(1 + utf8.length, tokens.length, "space + one token per byte");
        for (int i = 0; i < utf8.length; i++) {
            assertEquals(3 + (utf8[i] & 0xFF), tokens[i + 1]);
            assertArrayEquals(new byte[] {utf8[i]}, tokenizer.piece(tokens[i], tokens[i + 1]));
        }
    }

    @Test
    void knownMultiByteCharactersAreSingleTokens() {
        int[] tokens = tokenizer.encode("日本", false, false);
        assertEquals(List.of(" ", "日", "本"), pieces(tokens));
    }

    @Test
    void rejectsTruncatedAndOversizedFiles() {
        byte[] file = TestModels.tokenizerFile(VOCAB);
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
                () -> BpeTokenizer.parse(Arrays.copyOf(file, file.length - 3), 259 + VOCAB.size(), "t"));
        assertTrue(truncated.getMessage().contains("token"), truncated.getMessage());
        IllegalArgumentException trailing = assertThrows(IllegalArgumentException.class,
                () -> BpeTokenizer.parse(file, 259 + VOCAB.size() - 1, "t"));
        assertTrue(trailing.getMessage().contains("trailing bytes"), trailing.getMessage());
    }

    @Test
    void stories512RoundTripsAndUsesItsMerges() {
        Assumptions.assumeTrue(TestModels.storiesPresent(), "skipped: ../shared/models/stories260K is absent");
        BpeTokenizer tok512 = BpeTokenizer.load(TestModels.STORIES.resolve("tok512.bin"), 512);
        for (String text : List.of("Once upon a time, there was a little girl named Lily.", "Zoë's café: 日本! 🙂",
                "\"Hi,\" she said; (ok) - yes?")) {
            int[] tokens = tok512.encode(text, true, false);
            assertEquals(text, tok512.decode(tokens));
        }
        String english = "Once upon a time, there was a little girl named Lily.";
        assertTrue(tok512.encode(english, false, false).length < english.length() / 2, "merges shorten English text");
    }

    private List<String> pieces(int[] tokens) {
        return Arrays.stream(tokens).mapToObj(t -> new String(tokenizer.rawPiece(t), StandardCharsets.UTF_8)).toList();
    }
}
