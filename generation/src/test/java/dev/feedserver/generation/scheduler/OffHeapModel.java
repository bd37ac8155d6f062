package dev.feedserver.generation.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in model that really holds {@code bytes} of off-heap memory: allocated at load and
 * every page written, so the process's resident set grows by about that much, and freed on
 * close. Reports its size the way a native model does. Counts live instances and live bytes
 * so tests can check that every load was closed. Thread-safe.
 */
final class OffHeapModel implements AutoCloseable {

    static final AtomicInteger LIVE = new AtomicInteger();
    static final AtomicLong LIVE_BYTES = new AtomicLong();
    private static final int PAGE = 4096;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final long bytes;
    private boolean closed;

    OffHeapModel(long bytes) {
        this.bytes = bytes;
        this.memory = arena.allocate(bytes, PAGE);
        for (long offset = 0; offset < bytes; offset += PAGE) {
            memory.set(ValueLayout.JAVA_BYTE, offset, (byte) 1); // touch: make the page resident
        }
        LIVE.incrementAndGet();
        LIVE_BYTES.addAndGet(bytes);
    }

    long bytes() {
        return bytes;
    }

    /** Reads a few pages, as a task using its weights would. */
    long touch() {
        long sum = 0;
        for (long offset = 0; offset < bytes; offset += bytes / 8 + 1) {
            sum += memory.get(ValueLayout.JAVA_BYTE, offset - offset % PAGE);
        }
        return sum;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();
        LIVE.decrementAndGet();
        LIVE_BYTES.addAndGet(-bytes);
    }
}
