package dev.feedserver.generation.media;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Inputs for the media tests: a sine-tone WAV, a cover PNG, and stand-in ffmpeg scripts. */
final class MediaFixtures {

    static final int RATE = 16_000;

    private MediaFixtures() {
    }

    /** A 440 Hz tone of {@code seconds}, 16 kHz mono 16-bit, as a WAV file (what FreeTTS speaks). */
    static byte[] toneWav(double seconds) throws IOException {
        int frames = (int) Math.round(seconds * RATE);
        ByteBuffer pcm = ByteBuffer.allocate(2 * frames).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            pcm.putShort((short) Math.round(8_000 * Math.sin(2 * Math.PI * 440 * i / RATE)));
        }
        AudioFormat format = new AudioFormat(RATE, 16, 1, true, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, frames)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
        }
        return out.toByteArray();
    }

    static byte[] coverPng(int width, int height) {
        return new CoverRenderer().renderPng(new CoverRequest("A quiet harbour town at dawn", "travel", List.of("sea", "boats"), width, height));
    }

    /** An executable shell script standing in for ffmpeg. */
    static Path script(Path dir, String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** A stand-in that records its pid in {@code pidFile} and then sleeps for a minute. */
    static Path sleepingFfmpeg(Path dir, Path pidFile) throws IOException {
        return script(dir, "slow-ffmpeg", "echo $$ > '" + pidFile + "'\nexec sleep 60");
    }

    /** Waits up to 10 s for {@code pidFile} to hold a pid. */
    static long awaitPid(Path pidFile) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile)) {
                String text = Files.readString(pidFile).strip();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the stand-in ffmpeg never started (no pid in " + pidFile + ")");
    }

    /** Whether process {@code pid} has gone, waiting up to 5 s for it to be reaped. */
    static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
