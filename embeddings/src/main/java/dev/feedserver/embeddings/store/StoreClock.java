package dev.feedserver.embeddings.store;

/** Conversion between epoch milliseconds and the store's unsigned 32-bit seconds field. Stateless. */
final class StoreClock {
    private StoreClock() {
    }

    /** Seconds since {@link StoreLayout#TIME_BASE_MILLIS}, clamped to [1, 2^32 - 1] (0 means never). */
    static long toStoreSeconds(long millis) {
        long seconds = (millis - StoreLayout.TIME_BASE_MILLIS) / 1000;
        return Math.max(1, Math.min(0xFFFF_FFFFL, seconds));
    }

    static long toMillis(int storeSeconds) {
        return storeSeconds == 0 ? 0 : StoreLayout.TIME_BASE_MILLIS + Integer.toUnsignedLong(storeSeconds) * 1000;
    }
}
