package dev.feedserver.generation.orchestration;

/**
 * Told of every change of a running job (a stage started, an attempt finished, the job ended),
 * for persistence, metrics and the catalogue.
 *
 * <p>Threading: called with the job's lock held, one change at a time and in order, on a
 * callback thread; implementations must be quick and must not call back into the job.
 */
@FunctionalInterface
public interface JobListener {

    /** The job changed; {@code snapshot} is its new state. */
    void changed(JobSnapshot snapshot);
}
