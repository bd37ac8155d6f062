package dev.feedserver.generation.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real MP4 from a cover and a WAV; a clear error without ffmpeg; failures, timeouts and cancellation. */
class VideoComposerTest {

    @TempDir
    Path dir;

    private static VideoComposer installed() {
        VideoComposer composer = new VideoComposer();
        assumeTrue(composer.available(), "ffmpeg is not installed (apt-get install ffmpeg); skipping the real composition");
        return composer;
    }

    @Test
    void composesAnMp4ThatLastsAsLongAsTheNarration() throws Exception {
        VideoComposer composer = installed();
        Path cover = Files.write(dir.resolve("cover.png"), MediaFixtures.coverPng(321, 181)); // odd sizes: padded to even
        Path narration = Files.write(dir.resolve("narration.wav"), MediaFixtures.toneWav(1.0));
        Path target = dir.resolve("out/video.mp4");
        assertEquals(target, composer.compose(cover, narration, target, () -> false));

        byte[] mp4 = Files.readAllBytes(target);
        List<String> boxes = topLevelBoxes(mp4);
        assertEquals("ftyp", boxes.getFirst(), "an MP4 starts with its ftyp box: " + boxes);
        assertTrue(boxes.indexOf("moov") >= 0 && boxes.indexOf("moov") < boxes.indexOf("mdat"),
                "faststart puts the index before the media data: " + boxes);
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertEquals(List.of(target), left.toList(), "no temporary file is left beside the video");
        }

        Optional<Path> ffprobe = composer.ffmpeg().map(f -> f.resolveSibling("ffprobe")).filter(Executables::isExecutable);
        assumeTrue(ffprobe.isPresent(), "ffprobe is not installed beside ffmpeg; the container was checked, not the streams");
        String probe = run(ffprobe.get().toString(), "-v", "error", "-show_entries", "stream=codec_type,codec_name,pix_fmt:format=duration",
                "-of", "default=noprint_wrappers=1", target.toString());
        assertTrue(probe.contains("codec_type=video") && probe.contains("codec_name=h264") && probe.contains("pix_fmt=yuv420p"), probe);
        assertTrue(probe.contains("codec_type=audio") && probe.contains("codec_name=aac"), probe);
        double seconds = Double.parseDouble(probe.lines().filter(l -> l.startsWith("duration=")).findFirst().orElseThrow().substring(9));
        assertEquals(1.0, seconds, 0.3, "the video lasts as long as the 1 s narration: " + probe);
    }

    @Test
    void composesFromBytes() throws Exception {
        VideoComposer composer = installed();
        byte[] mp4 = composer.compose(MediaFixtures.coverPng(160, 90), MediaFixtures.toneWav(0.5), () -> false);
        assertEquals("ftyp", topLevelBoxes(mp4).getFirst());
    }

    @Test
    void aBrokenInputFailsWithFfmpegsOwnWords() throws Exception {
        VideoComposer composer = installed();
        Path cover = Files.writeString(dir.resolve("cover.png"), "not a png at all");
        Path narration = Files.write(dir.resolve("narration.wav"), MediaFixtures.toneWav(0.5));
        MediaToolException e = assertThrows(MediaToolException.class,
                () -> composer.compose(cover, narration, dir.resolve("video.mp4"), () -> false));
        assertEquals("ffmpeg", e.tool());
        assertTrue(e.getMessage().contains("exited with status") && e.getMessage().contains("stderr ended with"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("video.mp4")));
    }

    @Test
    void aMissingFfmpegSaysHowToInstallIt() throws Exception {
        Path cover = Files.write(dir.resolve("cover.png"), MediaFixtures.coverPng(64, 64));
        Path narration = Files.write(dir.resolve("narration.wav"), MediaFixtures.toneWav(0.2));
        VideoComposer missing = new VideoComposer(dir.resolve("no/such/ffmpeg"));
        assertFalse(missing.available());
        MediaToolMissingException e = assertThrows(MediaToolMissingException.class,
                () -> missing.compose(cover, narration, dir.resolve("v.mp4"), () -> false));
        assertTrue(e.getMessage().contains("ffmpeg is not installed") && e.getMessage().contains("apt-get install ffmpeg")
                && e.getMessage().contains(dir.resolve("no/such/ffmpeg").toString()), e.getMessage());

        VideoComposer fromEnv = new VideoComposer(Map.of(VideoComposer.ENV, "/nonexistent/ffmpeg", "PATH", "/usr/bin"), VideoComposer.DEFAULT_TIMEOUT);
        assertFalse(fromEnv.available(), "a configured path wins over PATH, even when it is wrong");
        String message = assertThrows(MediaToolMissingException.class,
                () -> fromEnv.compose(cover, narration, dir.resolve("v.mp4"), () -> false)).getMessage();
        assertTrue(message.contains("FEEDSERVER_FFMPEG"), message);
        assertFalse(new VideoComposer(Map.of("PATH", dir.toString()), VideoComposer.DEFAULT_TIMEOUT).available());
    }

    @Test
    void findsFfmpegOnThePath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = MediaFixtures.script(bin, "ffmpeg", "exit 0");
        VideoComposer composer = new VideoComposer(Map.of("PATH", "/nonexistent:" + bin), VideoComposer.DEFAULT_TIMEOUT);
        assertEquals(Optional.of(fake), composer.ffmpeg());
    }

    @Test
    void aFailingToolReportsItsStatusAndStderrTail() throws Exception {
        Path fake = MediaFixtures.script(dir, "ffmpeg", "i=0; while [ $i -lt 50 ]; do echo \"noise $i\" >&2; i=$((i+1)); done\n"
                + "echo 'Unknown encoder libx264' >&2\nexit 3");
        MediaToolException e = assertThrows(MediaToolException.class, () -> compose(new VideoComposer(fake)));
        assertTrue(e.getMessage().contains("status 3") && e.getMessage().endsWith("Unknown encoder libx264"), e.getMessage());
        assertFalse(e.getMessage().contains("noise 29"), "only the tail is kept: " + e.getMessage());
        assertFalse(e instanceof MediaToolMissingException);
    }

    @Test
    void aToolThatRunsTooLongIsDestroyed() throws Exception {
        Path pidFile = dir.resolve("pid");
        VideoComposer composer = new VideoComposer(MediaFixtures.sleepingFfmpeg(dir, pidFile), Duration.ofMillis(500));
        MediaToolException e = assertThrows(MediaToolException.class, () -> compose(composer));
        assertTrue(e.getMessage().contains("timeout of 500 ms"), e.getMessage());
        assertTrue(MediaFixtures.gone(MediaFixtures.awaitPid(pidFile)), "the overdue process was killed");
    }

    @Test
    void cancellingKillsTheProcessAndWritesNothing() throws Exception {
        Path pidFile = dir.resolve("pid");
        VideoComposer composer = new VideoComposer(MediaFixtures.sleepingFfmpeg(dir, pidFile));
        AtomicBoolean cancel = new AtomicBoolean();
        Thread canceller = Thread.ofPlatform().start(() -> {
            try {
                MediaFixtures.awaitPid(pidFile);
                cancel.set(true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        assertThrows(CancellationException.class, () -> compose(composer, cancel::get));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "cancelled long before the tool's minute was up");
        canceller.join();
        assertTrue(MediaFixtures.gone(MediaFixtures.awaitPid(pidFile)), "the cancelled process was killed");
        assertFalse(Files.exists(dir.resolve("out.mp4")));
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "the temporary file was removed");
        }
        assertThrows(CancellationException.class, () -> compose(composer, () -> true), "cancelled before it starts");
    }

    @Test
    void anInterruptStopsTheProcessAndStaysSet() throws Exception {
        Path pidFile = dir.resolve("pid");
        VideoComposer composer = new VideoComposer(MediaFixtures.sleepingFfmpeg(dir, pidFile));
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                compose(composer);
            } catch (CancellationException e) {
                flagKept.set(Thread.currentThread().isInterrupted());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        long pid = MediaFixtures.awaitPid(pidFile);
        worker.interrupt();
        worker.join(20_000);
        assertFalse(worker.isAlive());
        assertTrue(flagKept.get(), "the interrupt is restored for the caller");
        assertTrue(MediaFixtures.gone(pid));
    }

    @Test
    void theDurationComesFromTheWavHeader() throws Exception {
        Path wav = Files.write(dir.resolve("n.wav"), MediaFixtures.toneWav(1.25));
        assertEquals(1.25, VideoComposer.wavSeconds(wav).orElseThrow(), 1e-9);
        assertTrue(VideoComposer.wavSeconds(Files.writeString(dir.resolve("x.wav"), "garbage")).isEmpty());
    }

    private void compose(VideoComposer composer) throws IOException {
        compose(composer, () -> false);
    }

    private void compose(VideoComposer composer, java.util.function.BooleanSupplier cancelled) throws IOException {
        Path cover = Files.write(dir.resolve("cover.png"), MediaFixtures.coverPng(64, 64));
        Path narration = Files.write(dir.resolve("narration.wav"), MediaFixtures.toneWav(0.2));
        composer.compose(cover, narration, dir.resolve("out.mp4"), cancelled);
    }

    /** The four-letter types of the file's top-level ISO-BMFF boxes, in order. */
    private static List<String> topLevelBoxes(byte[] mp4) {
        List<String> types = new ArrayList<>();
        int at = 0;
        while (at + 8 <= mp4.length) {
            long size = ((mp4[at] & 0xffL) << 24) | ((mp4[at + 1] & 0xff) << 16) | ((mp4[at + 2] & 0xff) << 8) | (mp4[at + 3] & 0xff);
            types.add(new String(mp4, at + 4, 4, StandardCharsets.US_ASCII));
            if (size == 1) { // a 64-bit size follows the type
                size = java.nio.ByteBuffer.wrap(mp4, at + 8, 8).getLong();
            }
            if (size < 8) {
                break;
            }
            at += (int) size;
        }
        return types;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
