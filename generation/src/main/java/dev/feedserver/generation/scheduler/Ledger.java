package dev.feedserver.generation.scheduler;

/**
 * The budget's books: bytes charged to models now (resident, loading with their reservation,
 * unloading until freed) and the most ever charged at once. Refuses any charge that would pass
 * the budget, so the invariant {@code charged <= budget} holds by construction. Guarded by the
 * scheduler's lock.
 */
final class Ledger {

    private final long budget;
    private long charged;
    private long peak;

    Ledger(long budget) {
        this.budget = budget;
    }

    long charged() {
        return charged;
    }

    long peak() {
        return peak;
    }

    /** Bytes still free under the budget. */
    long free() {
        return budget - charged;
    }

    /**
     * Adds {@code bytes} to {@code slot}'s charge.
     *
     * @throws IllegalStateException if that would pass the budget (a planning bug: callers check
     *                               {@link #free()} first)
     */
    void charge(ModelSlot slot, long bytes) {
        if (bytes > free()) {
            throw new IllegalStateException("charging " + bytes + " bytes for '" + slot.name() + "' would exceed the budget: "
                    + charged + " of " + budget + " already charged");
        }
        charged += bytes;
        slot.charge += bytes;
        peak = Math.max(peak, charged);
        slot.stats.peakResidentBytes = Math.max(slot.stats.peakResidentBytes, slot.charge);
    }

    /** Frees {@code slot}'s whole charge; it is absent from now on. */
    void release(ModelSlot slot) {
        charged -= slot.charge;
        slot.charge = 0;
        slot.loaded = null;
        slot.state = ModelSlot.State.ABSENT;
    }
}
