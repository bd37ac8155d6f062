package dev.feedserver.ranking.rank;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds the ranker that serves, and swaps in a new model version atomically: a request
 * {@link #acquire acquires} the current ranker and releases it when done; {@link #swap} publishes
 * the next one at once, and the previous one is closed only when the last request using it
 * releases it. In-flight requests finish on the model they started with; none fails.
 *
 * <p>Threading: thread-safe and lock-free on the request path (one CAS to acquire, one to
 * release; no allocation). Lifecycle: {@link #close} withdraws the current ranker (closed when
 * drained); acquire then returns null. Each swap resets the {@link OnlineCalibrator} to the
 * identity for the new version before the new ranker serves.
 */
public final class RankerRegistry implements AutoCloseable {
    private volatile Lease current;
    private final AtomicLong swaps = new AtomicLong();
    private final OnlineCalibrator calibrator;

    /** A registry whose rankers serve uncalibrated (the identity calibration, nothing learned). */
    public RankerRegistry() {
        this(OnlineCalibrator.disabled());
    }

    /** A registry whose served version {@code calibrator} learns a calibration for. */
    public RankerRegistry(OnlineCalibrator calibrator) {
        this.calibrator = java.util.Objects.requireNonNull(calibrator, "calibrator");
    }

    /** The online calibration of the serving version's heads. */
    public OnlineCalibrator calibrator() {
        return calibrator;
    }

    /** A reference-counted hold on one ranker. Release exactly once per successful acquire. */
    public static final class Lease {
        private final Ranker ranker;
        // The registry's own reference plus one per holder; 0 = closed, never revived.
        private final AtomicInteger references = new AtomicInteger(1);

        Lease(Ranker ranker) {
            this.ranker = ranker;
        }

        public Ranker ranker() {
            return ranker;
        }

        boolean retain() {
            for (;;) {
                int n = references.get();
                if (n == 0) {
                    return false;
                }
                if (references.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        /** Gives the hold back; the last release of a replaced ranker closes it. */
        public void release() {
            if (references.decrementAndGet() == 0) {
                ranker.close();
            }
        }
    }

    /** The serving ranker, held until {@link Lease#release}; null when none is loaded. */
    public Lease acquire() {
        for (;;) {
            Lease lease = current;
            if (lease == null) {
                return null;
            }
            if (lease.retain()) {
                return lease;
            }
            // Replaced and drained between the read and the retain: read the new one.
        }
    }

    /** Publishes {@code next} (may be null to withdraw); the previous ranker closes when drained. */
    public synchronized void swap(Ranker next) {
        Lease previous = current;
        calibrator.reset(next == null ? null : next.version());
        current = next == null ? null : new Lease(next);
        swaps.incrementAndGet();
        if (previous != null) {
            previous.release();
        }
    }

    /** The serving model's version, or null. */
    public String version() {
        Lease lease = current;
        return lease == null ? null : lease.ranker().version();
    }

    /** Models published so far. */
    public long swaps() {
        return swaps.get();
    }

    @Override
    public void close() {
        swap(null);
    }
}
