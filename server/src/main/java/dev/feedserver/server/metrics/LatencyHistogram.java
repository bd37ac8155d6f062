package dev.feedserver.server.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency distribution recorded with HdrHistogram (microsecond resolution, 3 significant
 * digits, up to one hour). Writers record wait-free into a {@link Recorder}; a scrape folds the
 * interval into a cumulative histogram and reads buckets and quantiles from it.
 *
 * <p>Threading: {@link #recordNanos} from any thread; {@link #snapshot} is serialised.
 */
public final class LatencyHistogram {
    private static final long MAX_MICROS = 3_600_000_000L;

    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);
    private Histogram interval;

    public void recordNanos(long nanos) {
        long micros = Math.max(0, Math.min(MAX_MICROS, nanos / 1_000));
        recorder.recordValue(micros);
    }

    /** Folds recent values in and returns a copy of the cumulative distribution. */
    public synchronized Histogram snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total.copy();
    }
}
