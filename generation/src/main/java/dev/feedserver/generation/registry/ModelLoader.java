package dev.feedserver.generation.registry;

/**
 * Loads one registered model: the SPI a backend implements. A model class that is
 * {@link AutoCloseable} and knows its own memory registers in one statement, for example
 * <pre>{@code
 * registry.register(ModelSpec.of("my-model", ModelKind.TEXT, Backend.NATIVE, ModelSource.file(path)),
 *         spec -> LoadedModel.of(MyNativeModel.open(path), MyNativeModel::residentBytes));
 * }</pre>
 *
 * <p>Threading: {@link #load} may be called from any scheduler worker, for different specs at
 * once; it must not keep state between calls other than caches it guards itself.
 */
@FunctionalInterface
public interface ModelLoader {

    /**
     * Reads the weights and builds the model.
     *
     * @throws Exception anything that stops the load; the scheduler fails the model's queued
     *                   tasks with it as the cause
     */
    LoadedModel load(ModelSpec spec) throws Exception;

    /**
     * The footprint to plan with before the model has ever been loaded. The default is
     * {@link FootprintEstimates#estimate}: the stored size scaled per backend.
     */
    default long estimateBytes(ModelSpec spec) {
        return FootprintEstimates.estimate(spec.backend(), spec.source().sizeBytes());
    }
}
