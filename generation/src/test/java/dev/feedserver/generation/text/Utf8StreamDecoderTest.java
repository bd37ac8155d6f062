package dev.feedserver.generation.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming decoder holds back unfinished UTF-8 sequences and releases them when whole. */
class Utf8StreamDecoderTest {

    @Test
    void holdsBackSplitSequencesByteByByte() {
        String text = "aé日🙂z";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        StringBuilder out = new StringBuilder();
        for (byte b : utf8) {
            String piece = decoder.push(new byte[] {b});
            assertEquals(-1, piece.indexOf('\uFFFD'), "no replacement character mid-stream");
            out.append(piece);
        }
        assertEquals("", decoder.flush());
        assertEquals(text, out.toString());
    }

    @Test
    void releasesACharacterOnlyWhenItsLastByteArrives() {
        byte[] smile = "🙂".getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        assertEquals("x", decoder.push(new byte[] {'x', smile[0], smile[1]}));
        assertEquals("", decoder.push(new byte[] {smile[2]}));
        assertEquals("🙂y", decoder.push(new byte[] {smile[3], 'y'}));
    }

    @Test
    void flushReplacesAnUnfinishedTail() {
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        assertEquals("a", decoder.push(new byte[] {'a', (byte) 0xE6, (byte) 0x97}));
        assertEquals("\uFFFD", decoder.flush());
    }
}
