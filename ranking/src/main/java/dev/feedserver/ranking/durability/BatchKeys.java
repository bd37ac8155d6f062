package dev.feedserver.ranking.durability;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The window of recently applied event-batch idempotency keys: for each key, the log sequence
 * of the batch it named, how many events it held and when it was accepted. Bounded both ways:
 * at most {@code maxKeys} keys and none older than {@code maxAge}; whichever bound is reached
 * first evicts the oldest keys. A key evicted is forgotten, so a retry after that window is
 * applied again (the documented limit of the guarantee).
 *
 * <p>Keys are added in log order, so the oldest entry is always the first: eviction walks
 * from the head. Rebuilt at start-up from the checkpoint's keys file ({@link BatchKeysFile})
 * and the log replayed after it.
 *
 * <p>Threading: thread-safe (one monitor; every operation is O(1) amortised).
 */
public final class BatchKeys {
    /** Default bound on the number of keys remembered. */
    public static final int DEFAULT_MAX_KEYS = 100_000;
    /** Default bound on the age of a remembered key. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    /** Longest key accepted. */
    public static final int MAX_KEY_LENGTH = 64;

    /** What a key names: the batch's log sequence, its event count, and when it was accepted. */
    public record Entry(long sequence, int accepted, long atMillis) {
    }

    private final int maxKeys;
    private final long maxAgeMillis;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> keys = new LinkedHashMap<>();

    /**
     * @param maxKeys most keys kept, {@code >= 1}
     * @param maxAge  oldest key kept, positive
     * @param clock   current time in milliseconds ({@code System::currentTimeMillis} in service)
     */
    public BatchKeys(int maxKeys, Duration maxAge, LongSupplier clock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be >= 1, got " + maxKeys);
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
        this.maxKeys = maxKeys;
        this.maxAgeMillis = maxAge.toMillis();
        this.clock = clock;
    }

    /** The default window: 100,000 keys or 24 hours, on the system clock. */
    public static BatchKeys defaults() {
        return new BatchKeys(DEFAULT_MAX_KEYS, DEFAULT_MAX_AGE, System::currentTimeMillis);
    }

    /** 1..64 characters of {@code A-Z a-z 0-9 . _ : -}. */
    public static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The entry of {@code key} if it is still in the window, else null. */
    public synchronized Entry find(String key) {
        evict();
        return keys.get(key);
    }

    /**
     * Remembers {@code key} for a batch appended at {@code entry.sequence()}. Entries must come
     * in log order; an entry already past the age bound is not kept.
     */
    public synchronized void remember(String key, Entry entry) {
        if (entry.atMillis() < clock.getAsLong() - maxAgeMillis) {
            return; // replayed from before the window
        }
        keys.remove(key); // re-inserting moves it to the end, keeping the order by sequence
        keys.put(key, entry);
        evict();
    }

    /** Number of keys in the window. */
    public synchronized int size() {
        return keys.size();
    }

    /** Every key and entry, oldest first. */
    public synchronized void forEach(BiConsumer<String, Entry> action) {
        evict();
        keys.forEach(action);
    }

    private void evict() {
        long oldest = clock.getAsLong() - maxAgeMillis;
        Iterator<Map.Entry<String, Entry>> it = keys.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> head = it.next();
            if (keys.size() > maxKeys || head.getValue().atMillis() < oldest) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
