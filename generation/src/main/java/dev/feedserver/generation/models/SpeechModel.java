package dev.feedserver.generation.models;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import java.util.Arrays;

/**
 * Text to speech with FreeTTS's {@code kevin16} diphone voice (16 kHz, 16-bit mono), whose data
 * ships inside the FreeTTS jar: no download and no sound device. {@link #synthesize} returns a
 * complete WAV file.
 *
 * <p>Threading: {@link #synthesize} is serialised on the model (a FreeTTS voice is not
 * thread-safe); register it with {@code maxConcurrency} 1. Lifecycle: {@link #open} allocates
 * the voice (its lexicon and diphone database on the heap, about 16 MB); {@link #close}
 * deallocates it, is idempotent, and later calls to {@code synthesize} throw
 * {@link IllegalStateException}.
 */
public final class SpeechModel implements AutoCloseable {

    public static final String VOICE = "kevin16";
    /** The voice's data in the FreeTTS jar: the diphone database and the lexicon (for the estimate). */
    static final String[] RESOURCES = {
        "com/sun/speech/freetts/en/us/cmu_us_kal/cmu_us_kal16.bin",
        "com/sun/speech/freetts/en/us/cmulex_compiled.bin",
        "com/sun/speech/freetts/en/us/cmulex_lts.bin",
    };

    private final Voice voice;
    private final CapturingAudioPlayer player = new CapturingAudioPlayer();
    private boolean closed;

    private SpeechModel(Voice voice) {
        this.voice = voice;
        voice.setAudioPlayer(player);
    }

    /**
     * Allocates the {@code kevin16} voice.
     *
     * @throws IllegalStateException if this FreeTTS build has no such voice
     */
    public static SpeechModel open() {
        Voice voice = Arrays.stream(new KevinVoiceDirectory().getVoices())
                .filter(v -> VOICE.equals(v.getName()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("FreeTTS has no voice '" + VOICE + "' in KevinVoiceDirectory"));
        voice.allocate();
        return new SpeechModel(voice);
    }

    /**
     * Speaks {@code text} into a WAV file (RIFF, PCM 16-bit little-endian).
     *
     * @throws IllegalArgumentException if the text is null or blank
     * @throws IllegalStateException    if the model is closed or FreeTTS produced no audio
     */
    public synchronized byte[] synthesize(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text to speak must not be null or blank");
        }
        if (closed) {
            throw new IllegalStateException("speech model " + VOICE + " is closed");
        }
        player.reset();
        boolean spoken = voice.speak(text);
        byte[] pcm = player.take();
        if (!spoken || pcm.length == 0 || player.getAudioFormat() == null) {
            throw new IllegalStateException("FreeTTS produced no audio for a text of " + text.length() + " characters");
        }
        return wav(pcm, player.getAudioFormat());
    }

    /** The JDK's WAVE writer wraps the PCM (and turns big-endian samples little-endian, as WAV needs). */
    private static byte[] wav(byte[] pcm, javax.sound.sampled.AudioFormat format) {
        var out = new java.io.ByteArrayOutputStream(pcm.length + 64);
        try (var in = new javax.sound.sampled.AudioInputStream(new java.io.ByteArrayInputStream(pcm), format,
                pcm.length / format.getFrameSize())) {
            javax.sound.sampled.AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.WAVE, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("writing WAV failed", e);
        }
        return out.toByteArray();
    }

    /** Deallocates the voice. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        voice.deallocate();
    }
}
