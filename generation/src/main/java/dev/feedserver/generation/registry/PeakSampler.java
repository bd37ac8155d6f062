package dev.feedserver.generation.registry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the C allocator's bytes in use ({@link MallocStats}) every millisecond on a daemon
 * thread while a model loads, and keeps the peak: a native library may need much more while
 * loading (ONNX Runtime holds the model file, the parsed graph and its optimised weights at
 * once) than it keeps afterwards, and the budget must hold during the load too. Without
 * {@code mallinfo2} it samples nothing and reports 0.
 *
 * <p>Threading: started and closed by the loading thread. Lifecycle: {@link #close} stops the
 * sampler and waits for it; idempotent.
 */
final class PeakSampler implements AutoCloseable {

    private final long baseline = MallocStats.inUseBytes();
    private final AtomicLong peak = new AtomicLong(baseline);
    private final Thread thread;
    private volatile boolean running = true;

    private PeakSampler() {
        thread = baseline < 0 ? null : Thread.ofPlatform().daemon().name("footprint-sampler").start(this::sample);
    }

    static PeakSampler start() {
        return new PeakSampler();
    }

    private void sample() {
        while (running) {
            peak.accumulateAndGet(MallocStats.inUseBytes(), Math::max);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The most the bytes in use rose above where they were at the start, so far. */
    long peakGrowth() {
        if (baseline < 0) {
            return 0;
        }
        peak.accumulateAndGet(MallocStats.inUseBytes(), Math::max);
        return Math.max(0, peak.get() - baseline);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the sampler is a daemon and stops on its own within a millisecond
            }
        }
    }
}
