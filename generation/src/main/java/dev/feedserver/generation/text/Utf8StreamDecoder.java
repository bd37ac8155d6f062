package dev.feedserver.generation.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a stream of token pieces (byte arrays that may split a UTF-8 sequence, as byte-fallback
 * tokens do) into text: each {@link #push} returns the text that is complete so far and holds
 * back the bytes of a multi-byte sequence whose remaining bytes have not arrived. Invalid bytes
 * become U+FFFD.
 *
 * <p>Threading: not thread-safe; one per generation. Lifecycle: plain object; {@link #flush} at
 * the end returns anything still held back.
 */
public final class Utf8StreamDecoder {

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Adds {@code bytes}; returns the newly complete text (possibly empty). */
    public String push(byte[] bytes) {
        pending.writeBytes(bytes);
        byte[] all = pending.toByteArray();
        int complete = completePrefix(all);
        pending.reset();
        pending.write(all, complete, all.length - complete);
        return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /** Everything still held back (an incomplete sequence decodes to U+FFFD); then empty. */
    public String flush() {
        String rest = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return rest;
    }

    /** Length of the longest prefix that does not end inside an unfinished multi-byte sequence. */
    static int completePrefix(byte[] b) {
        int n = b.length;
        // Look back at most 3 bytes for the lead byte of the last sequence.
        for (int back = 1; back <= Math.min(3, n); back++) {
            int v = b[n - back] & 0xFF;
            if ((v & 0xC0) == 0x80) {
                continue; // a continuation byte: keep looking for its lead
            }
            int need = BpeTokenizer.sequenceLength(b[n - back]);
            return need > back ? n - back : n;
        }
        return n;
    }
}
