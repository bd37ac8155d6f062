package dev.feedserver.generation.scheduler;

import dev.feedserver.generation.registry.FootprintMeter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the process's resident set every {@code periodMicros} on a daemon thread and keeps
 * the peak. Reads {@code /proc/self/statm} into a reused buffer, so sampling itself creates no
 * garbage (a sampler that allocates grows the heap, and with it the resident set it measures).
 * Linux only: {@link #available()} is false elsewhere. Start, then {@link #close()} to stop.
 */
final class RssSampler implements AutoCloseable {

    private static final Path STATM = Path.of("/proc/self/statm");

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256);
    private final long pageBytes;
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private RssSampler(FileChannel channel, long periodMicros) {
        this.channel = channel;
        // statm counts pages: calibrate the page size against VmRSS (bytes) once
        long pages = readPages();
        long bytes = FootprintMeter.residentSetBytes();
        this.pageBytes = pages > 0 && bytes > 0 ? Math.max(4096, Long.highestOneBit(bytes / pages + 1)) : 4096;
        peak.set(current());
        this.thread = Thread.ofPlatform().daemon().name("rss-sampler").start(() -> {
            while (running) {
                peak.accumulateAndGet(current(), Math::max);
                try {
                    Thread.sleep(0, (int) (periodMicros * 1000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static boolean available() {
        return Files.isReadable(STATM);
    }

    static RssSampler start(long periodMicros) throws IOException {
        return new RssSampler(FileChannel.open(STATM, StandardOpenOption.READ), periodMicros);
    }

    /** The resident set now, in bytes. */
    long current() {
        return readPages() * pageBytes;
    }

    long peak() {
        return peak.get();
    }

    /** Samples now, from the caller's thread (the background thread may not run on a busy machine). */
    void sample() {
        peak.accumulateAndGet(current(), Math::max);
    }

    private synchronized long readPages() {
        try {
            buffer.clear();
            channel.read(buffer, 0);
            // "size resident shared ...": skip the first number, parse the second
            int i = 0;
            while (buffer.get(i) != ' ') {
                i++;
            }
            long pages = 0;
            for (i++; i < buffer.position() && buffer.get(i) >= '0' && buffer.get(i) <= '9'; i++) {
                pages = pages * 10 + (buffer.get(i) - '0');
            }
            return pages;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + STATM, e);
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }
}
