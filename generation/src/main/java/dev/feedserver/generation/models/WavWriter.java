package dev.feedserver.generation.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.sound.sampled.AudioFormat;

/**
 * Wraps 16-bit signed PCM samples in a RIFF/WAVE file (44-byte header, little-endian samples,
 * swapped from big-endian when the source format is). Stateless and thread-safe.
 */
final class WavWriter {

    static final int HEADER_BYTES = 44;

    private WavWriter() {
    }

    /**
     * The WAV file of {@code pcm} in {@code format}.
     *
     * @throws IllegalArgumentException if the format is not 16-bit signed PCM, or {@code pcm} is
     *                                  not whole frames
     */
    static byte[] wav(byte[] pcm, AudioFormat format) {
        if (!AudioFormat.Encoding.PCM_SIGNED.equals(format.getEncoding()) || format.getSampleSizeInBits() != 16) {
            throw new IllegalArgumentException("only 16-bit signed PCM is written as WAV, got " + format);
        }
        int channels = format.getChannels();
        int frameBytes = 2 * channels;
        if (pcm.length % frameBytes != 0) {
            throw new IllegalArgumentException(pcm.length + " PCM bytes are not whole " + frameBytes + "-byte frames");
        }
        int rate = Math.round(format.getSampleRate());
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + pcm.length);
        out.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1) // PCM
                .putShort((short) channels).putInt(rate).putInt(rate * frameBytes)
                .putShort((short) frameBytes).putShort((short) 16);
        out.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(pcm.length);
        for (int i = 0; i < pcm.length; i += 2) {
            // WAV samples are little-endian; swap when the source is big-endian
            byte first = format.isBigEndian() ? pcm[i + 1] : pcm[i];
            byte second = format.isBigEndian() ? pcm[i] : pcm[i + 1];
            out.put(first).put(second);
        }
        return out.array();
    }
}
