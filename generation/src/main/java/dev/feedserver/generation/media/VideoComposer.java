package dev.feedserver.generation.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Composes a short MP4 from a cover image and a narration with ffmpeg: the still image looped
 * for the length of the audio, H.264 ({@code libx264 -tune stillimage}, yuv420p, even
 * dimensions, {@value #FRAME_RATE} fps) and AAC, {@code -shortest}, {@code +faststart} so it
 * plays while downloading. The length is also set explicitly from the WAV header when Java can
 * read it, because {@code -shortest} alone lets a looped image run well past the audio's end.
 * ffmpeg runs as a child process with a timeout and can be cancelled; the video is written to a
 * temporary file beside the target and moved into place atomically, so a reader never sees half
 * a file.
 *
 * <p>Where ffmpeg is: the path given to the constructor, else {@code $FEEDSERVER_FFMPEG}, else the
 * first {@code ffmpeg} on {@code PATH}. When it is missing, {@link #available()} is false and
 * {@link #compose} throws {@link MediaToolMissingException} saying how to install it.
 *
 * <p>Threading: thread-safe; every call runs its own process. Lifecycle: holds no resources
 * between calls, so {@link #close} does nothing and the instance stays usable: one composer
 * may be handed out by every load of a registered model.
 */
public final class VideoComposer implements AutoCloseable {

    public static final String TOOL = "ffmpeg";
    /** Environment variable naming the ffmpeg executable. */
    public static final String ENV = "FEEDSERVER_FFMPEG";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    /** A still image needs few frames; 10 fps keeps players and seeking happy at little cost. */
    public static final int FRAME_RATE = 10;

    private final Path ffmpeg; // null when not found
    private final String lookedAt;
    private final Duration timeout;

    /** ffmpeg from {@code $FEEDSERVER_FFMPEG}, else {@code PATH}; the default timeout. */
    public VideoComposer() {
        this(System.getenv(), DEFAULT_TIMEOUT);
    }

    /** The ffmpeg at {@code ffmpeg} (it may be missing: see {@link #available()}); the default timeout. */
    public VideoComposer(Path ffmpeg) {
        this(ffmpeg, DEFAULT_TIMEOUT);
    }

    /**
     * The ffmpeg at {@code ffmpeg}, each run limited to {@code timeout}.
     *
     * @throws IllegalArgumentException if the path is null or the timeout not positive
     */
    public VideoComposer(Path ffmpeg, Duration timeout) {
        this(checked(ffmpeg), "at " + ffmpeg, timeout);
    }

    /** Looks ffmpeg up in {@code env}: {@value #ENV}, then {@code PATH}. */
    VideoComposer(Map<String, String> env, Duration timeout) {
        this(locate(env), env.get(ENV) != null ? "at $" + ENV + " = " + env.get(ENV) : "on PATH (" + env.get("PATH") + ")", timeout);
    }

    private VideoComposer(Path found, String lookedAt, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the ffmpeg timeout must be positive, got " + timeout);
        }
        this.ffmpeg = found != null && Executables.isExecutable(found) ? found : null;
        this.lookedAt = lookedAt;
        this.timeout = timeout;
    }

    private static Path checked(Path ffmpeg) {
        if (ffmpeg == null) {
            throw new IllegalArgumentException("the ffmpeg path must not be null (use new VideoComposer() to look it up)");
        }
        return ffmpeg;
    }

    private static Path locate(Map<String, String> env) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Executables.onPath(TOOL, env.get("PATH")).orElse(null);
    }

    /** Whether ffmpeg was found and is executable. */
    public boolean available() {
        return ffmpeg != null;
    }

    /** The ffmpeg executable, when found. */
    public Optional<Path> ffmpeg() {
        return Optional.ofNullable(ffmpeg);
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Writes the video of {@code coverPng} shown for the length of {@code narrationWav} to
     * {@code target} (replacing it atomically when it exists).
     *
     * @param cancelled polled while ffmpeg runs; once true the process is destroyed
     * @return {@code target}
     * @throws MediaToolMissingException if ffmpeg is not installed
     * @throws MediaToolException        if ffmpeg fails or runs past the timeout (the message
     *                                   ends with its stderr)
     * @throws CancellationException     if cancelled or interrupted; no target is written
     * @throws IllegalArgumentException  if an input file does not exist
     * @throws UncheckedIOException      if the temporary file cannot be made or moved
     */
    public Path compose(Path coverPng, Path narrationWav, Path target, BooleanSupplier cancelled) {
        requireFile("cover image", coverPng);
        requireFile("narration audio", narrationWav);
        if (ffmpeg == null) {
            throw new MediaToolMissingException(TOOL, "ffmpeg is not installed (looked " + lookedAt + "); the video stage needs it:"
                    + " install it with `apt-get install ffmpeg` (Debian/Ubuntu), or set " + ENV + " to the ffmpeg executable");
        }
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("video composition cancelled before ffmpeg started");
        }
        Path absolute = target.toAbsolutePath();
        Path temp;
        try {
            Files.createDirectories(absolute.getParent());
            temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + "-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file beside " + absolute, e);
        }
        try {
            ToolProcess.run(TOOL, command(coverPng, narrationWav, temp), timeout, cancelled);
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the composed video to " + absolute, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * {@link #compose(Path, Path, Path, BooleanSupplier)} on bytes, through a temporary directory
     * that is removed afterwards.
     *
     * @return the MP4 file's bytes
     */
    public byte[] compose(byte[] coverPng, byte[] narrationWav, BooleanSupplier cancelled) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("feedserver-video-");
            Path cover = Files.write(dir.resolve("cover.png"), coverPng);
            Path narration = Files.write(dir.resolve("narration.wav"), narrationWav);
            return Files.readAllBytes(compose(cover, narration, dir.resolve("video.mp4"), cancelled));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the video's inputs in a temporary directory", e);
        } finally {
            if (dir != null) {
                for (String name : List.of("cover.png", "narration.wav", "video.mp4")) {
                    deleteQuietly(dir.resolve(name));
                }
                deleteQuietly(dir);
            }
        }
    }

    private List<String> command(Path cover, Path narration, Path output) {
        List<String> args = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y",
                // stop at the first decoding error: with -loop 1 a broken image is retried until the timeout otherwise
                "-xerror",
                "-loop", "1", "-framerate", Integer.toString(FRAME_RATE), "-i", cover.toString(),
                "-i", narration.toString(),
                "-map", "0:v:0", "-map", "1:a:0",
                // yuv420p needs even dimensions
                "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2",
                "-c:v", "libx264", "-tune", "stillimage", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k"));
        OptionalDouble seconds = wavSeconds(narration);
        if (seconds.isPresent()) {
            args.addAll(List.of("-t", String.format(Locale.ROOT, "%.3f", seconds.getAsDouble())));
        }
        args.addAll(List.of("-shortest", "-movflags", "+faststart", "-f", "mp4", output.toString()));
        return args;
    }

    /** The WAV's length from its header, or empty when Java cannot read the format (ffmpeg may still). */
    static OptionalDouble wavSeconds(Path wav) {
        try {
            AudioFileFormat format = AudioSystem.getAudioFileFormat(wav.toFile());
            float frameRate = format.getFormat().getFrameRate();
            if (format.getFrameLength() <= 0 || !(frameRate > 0)) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(format.getFrameLength() / (double) frameRate);
        } catch (UnsupportedAudioFileException | IOException e) {
            return OptionalDouble.empty();
        }
    }

    private static void requireFile(String what, Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the " + what + " file " + file + " does not exist");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is harmless; the composition's own outcome matters more
        }
    }

    /** Does nothing: the composer holds no resources between calls (see the class comment). */
    @Override
    public void close() {
    }
}
