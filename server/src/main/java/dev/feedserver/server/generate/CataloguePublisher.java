package dev.feedserver.server.generate;

import dev.feedserver.generation.orchestration.JobSnapshot;
import java.io.IOException;

/**
 * Turns a succeeded job into a catalogue item, so its content can be retrieved by the very next
 * feed (through the fresh-content source, and its cluster once embedded).
 *
 * <p>Threading: implementations are thread-safe.
 */
@FunctionalInterface
public interface CataloguePublisher {

    /**
     * Adds (or replaces) the job's item and returns its id.
     *
     * @throws IOException           if the change could not be logged durably
     * @throws IllegalStateException if the feed model is not loaded yet
     */
    String publish(JobSnapshot job) throws IOException;
}
