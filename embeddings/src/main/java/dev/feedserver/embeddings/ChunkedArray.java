package dev.feedserver.embeddings;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An append-mostly array of references that grows in fixed-size chunks, so growth never copies
 * or moves published elements and readers never take a lock.
 *
 * <p>Threading: {@link #get} and {@link #set} are safe from any thread (volatile semantics per
 * slot). {@link #append} is serialised internally. Indexes are dense, starting at 0.
 * Lifecycle: plain heap object, no resources to release.
 *
 * @param <T> element type
 */
public final class ChunkedArray<T> {
    private static final int CHUNK_BITS = 12;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;

    private volatile AtomicReferenceArray<T>[] chunks;
    private volatile int size;

    @SuppressWarnings("unchecked")
    public ChunkedArray() {
        chunks = new AtomicReferenceArray[0];
    }

    /** Number of published elements. */
    public int size() {
        return size;
    }

    /** Element at {@code index}, or {@code null} when it was never set. */
    public T get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size + ")");
        }
        return chunks[index >>> CHUNK_BITS].get(index & CHUNK_MASK);
    }

    /** Replaces an already appended element. */
    public void set(int index, T value) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size + ")");
        }
        chunks[index >>> CHUNK_BITS].set(index & CHUNK_MASK, value);
    }

    /** Appends an element and returns its index; the element is visible before the new size is. */
    public synchronized int append(T value) {
        int index = size;
        int chunk = index >>> CHUNK_BITS;
        if (chunk == chunks.length) {
            @SuppressWarnings("unchecked")
            AtomicReferenceArray<T>[] grown = java.util.Arrays.copyOf(chunks, chunk + 1);
            grown[chunk] = new AtomicReferenceArray<>(CHUNK_SIZE);
            chunks = grown;
        }
        chunks[chunk].set(index & CHUNK_MASK, value);
        size = index + 1;
        return index;
    }
}
