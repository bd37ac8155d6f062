package dev.feedserver.generation.registry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A model in the {@link ModelRegistry}: its spec, its loader, and its footprint. The footprint
 * starts as the loader's estimate and becomes {@code max(estimate, latest measured)} once the
 * model has been loaded: planning with the larger figure keeps a budget safe when the estimate
 * was low, and an optimistic measurement (another thread freeing memory during the load) can
 * never shrink it below the estimate.
 *
 * <p>Threading: thread-safe; {@link #load} may run on several threads at once (each call
 * builds a separate instance).
 */
public final class RegisteredModel {

    private final ModelSpec spec;
    private final ModelLoader loader;
    private final long estimateBytes;
    /** Held while a model measured from the outside loads. */
    private static final Object MEASURING = new Object();

    private final AtomicLong measuredBytes = new AtomicLong(-1);

    RegisteredModel(ModelSpec spec, ModelLoader loader) {
        this.spec = spec;
        this.loader = loader;
        long estimate = loader.estimateBytes(spec);
        if (estimate <= 0) {
            throw new IllegalArgumentException("model '" + spec.name() + "': the estimated footprint must be > 0, got " + estimate);
        }
        this.estimateBytes = estimate;
    }

    public ModelSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** The footprint planned with before the first load. */
    public long estimateBytes() {
        return estimateBytes;
    }

    /** The figure measured at the latest load, or {@code -1} before the first. */
    public long measuredBytes() {
        return measuredBytes.get();
    }

    /** What the scheduler accounts for this model: {@code max(estimate, measured)}. */
    public long footprintBytes() {
        return Math.max(estimateBytes, measuredBytes.get());
    }

    /**
     * Loads a new instance and measures it: the model's own figure when it reports one
     * ({@link LoadedModel#residentBytes()} {@code >= 0}), else the process's growth across the
     * load ({@link FootprintMeter}), or the peak growth of the C allocator's bytes in use
     * during the load if that was larger ({@link PeakSampler}). Loads of models that are measured from the outside (every
     * backend but {@link Backend#NATIVE}) are serialised process-wide, so two of them never
     * count each other's memory. The latest measurement is kept: a reading disturbed by other
     * activity is corrected at the next load instead of inflating the footprint for good.
     *
     * @throws Exception whatever the loader throws; a loader returning null is an
     *                   {@link IllegalStateException}
     */
    public LoadResult load() throws Exception {
        if (spec.backend() == Backend.NATIVE) {
            return measuredLoad();
        }
        synchronized (MEASURING) {
            return measuredLoad();
        }
    }

    private LoadResult measuredLoad() throws Exception {
        FootprintMeter.Reading before = FootprintMeter.read();
        long start = System.nanoTime();
        LoadedModel model;
        long peak;
        try (PeakSampler sampler = spec.backend() == Backend.NATIVE ? null : PeakSampler.start()) {
            model = loader.load(spec);
            peak = sampler == null ? 0 : sampler.peakGrowth();
        }
        long nanos = System.nanoTime() - start;
        if (model == null) {
            throw new IllegalStateException("the loader of model '" + spec.name() + "' returned no model");
        }
        long reported = model.residentBytes();
        // what it keeps, or what the load needed at its peak if that was more (the budget must hold while loading too)
        long bytes = reported >= 0 ? reported : Math.max(peak, FootprintMeter.delta(before, FootprintMeter.read(), spec.backend()));
        measuredBytes.set(bytes);
        return new LoadResult(model, bytes, reported >= 0, nanos);
    }

    @Override
    public String toString() {
        return spec.name() + " (" + spec.kind() + ", " + spec.backend() + ", " + spec.source().describe() + ")";
    }
}
