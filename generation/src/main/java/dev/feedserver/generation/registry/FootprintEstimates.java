package dev.feedserver.generation.registry;

/**
 * Footprint estimates before the first load, from the size of the stored weights. Deliberately
 * on the high side, since the scheduler reserves the estimate before loading: a native model
 * holds its weights plus buffers (stored size + 8 MiB); ONNX Runtime keeps the model bytes and
 * its optimised graph with initialisers, and an arena (2x + 16 MiB); Java models inflate their
 * data into objects (3x + 8 MiB). Once a model has loaded, its measured figure replaces this
 * (see {@link RegisteredModel#footprintBytes()}). Stateless.
 */
public final class FootprintEstimates {

    static final long MIB = 1L << 20;

    private FootprintEstimates() {
    }

    /** The estimate for {@code storedBytes} of weights run on {@code backend}. */
    public static long estimate(Backend backend, long storedBytes) {
        if (storedBytes < 0) {
            throw new IllegalArgumentException("storedBytes must be >= 0, got " + storedBytes);
        }
        return switch (backend) {
            case NATIVE -> storedBytes + 8 * MIB;
            case ONNX_RUNTIME -> 2 * storedBytes + 16 * MIB;
            case JAVA -> 3 * storedBytes + 8 * MIB;
        };
    }
}
