package dev.feedserver.generation.models;

import com.sun.speech.freetts.audio.AudioPlayer;
import java.io.ByteArrayOutputStream;
import javax.sound.sampled.AudioFormat;

/**
 * A FreeTTS audio sink that keeps the samples in memory instead of playing them, so speech
 * needs no sound device. Not thread-safe: one per voice, used under the voice's lock.
 */
final class CapturingAudioPlayer implements AudioPlayer {

    private final ByteArrayOutputStream samples = new ByteArrayOutputStream();
    private AudioFormat format;
    private float volume = 1f;

    /** The samples written since the last call, and forgets them. */
    byte[] take() {
        byte[] bytes = samples.toByteArray();
        samples.reset();
        return bytes;
    }

    @Override
    public void setAudioFormat(AudioFormat format) {
        this.format = format;
    }

    @Override
    public AudioFormat getAudioFormat() {
        return format;
    }

    @Override
    public boolean write(byte[] audio) {
        return write(audio, 0, audio.length);
    }

    @Override
    public boolean write(byte[] audio, int offset, int length) {
        samples.write(audio, offset, length);
        return true;
    }

    @Override
    public void cancel() {
        samples.reset();
    }

    @Override
    public void reset() {
        samples.reset();
    }

    @Override
    public float getVolume() {
        return volume;
    }

    @Override
    public void setVolume(float volume) {
        this.volume = volume;
    }

    // Playback controls mean nothing for a memory sink.
    @Override
    public void pause() {
    }

    @Override
    public void resume() {
    }

    @Override
    public boolean drain() {
        return true;
    }

    @Override
    public void begin(int size) {
    }

    @Override
    public boolean end() {
        return true;
    }

    @Override
    public void close() {
    }

    @Override
    public long getTime() {
        return 0;
    }

    @Override
    public void resetTime() {
    }

    @Override
    public void startFirstSampleTimer() {
    }

    @Override
    public void showMetrics() {
    }
}
