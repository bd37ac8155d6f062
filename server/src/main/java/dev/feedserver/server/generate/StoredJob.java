package dev.feedserver.server.generate;

import dev.feedserver.generation.orchestration.JobSnapshot;

/**
 * What the job store keeps per job: the job, the idempotency key it was submitted with, and the
 * catalogue item it became once it succeeded.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param job            the job as last saved
 * @param idempotencyKey the client's key, or null
 * @param itemId         the catalogue item made from its outputs, or null (not succeeded, or not published yet)
 */
public record StoredJob(JobSnapshot job, String idempotencyKey, String itemId) {

    /** The same record with a newer job snapshot. */
    public StoredJob with(JobSnapshot newer) {
        return new StoredJob(newer, idempotencyKey, itemId);
    }

    /** The same record, published as {@code item}. */
    public StoredJob published(String item) {
        return new StoredJob(job, idempotencyKey, item);
    }
}
