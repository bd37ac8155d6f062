package dev.feedserver.ranking.retrieval;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One partition of an {@link IvfInterestIndex}: its items' int8 codes, contiguous off-heap (one
 * native dot-product call scans the whole list), each code's scale and each slot's item row.
 * Slots only grow; a removed item's slot holds row -1 until the next rebuild.
 *
 * <p>Threading: one writer at a time (the index serialises {@link #append} and {@link #clear});
 * any number of readers without locks. The writer publishes a larger copy of the storage before
 * the new size, and readers read the size before the storage, so a reader never sees a size
 * larger than the storage it then reads. Lifecycle: storage comes from automatic arenas, so an
 * outgrown copy is freed once no reader holds it.
 */
final class InvertedList {
    private static final VarHandle ROWS = MethodHandles.arrayElementVarHandle(int[].class);

    /** Immutable-capacity storage; slots below the published size are written once (rows may later become -1). */
    record Storage(MemorySegment codes, float[] scales, int[] rows, int capacity) {
        static Storage allocate(int capacity, int codeBytes) {
            MemorySegment codes = Arena.ofAuto().allocate((long) Math.max(1, capacity) * codeBytes, 64);
            return new Storage(codes, new float[capacity], new int[capacity], capacity);
        }

        /** The item row in {@code slot}, or -1 if removed; safe against a concurrent {@link InvertedList#clear}. */
        int rowAt(int slot) {
            return (int) ROWS.getOpaque(rows, slot);
        }
    }

    private final int codeBytes;
    private volatile Storage storage;
    private volatile int size;

    InvertedList(int initialCapacity, int codeBytes) {
        this.codeBytes = codeBytes;
        this.storage = Storage.allocate(initialCapacity, codeBytes);
    }

    /** Published size: read it before {@link #storage()}. */
    int size() {
        return size;
    }

    Storage storage() {
        return storage;
    }

    /** Appends an item's code ({@code codeBytes} bytes of {@code codes} from {@code offset}) and returns its slot. Writer only. */
    int append(int row, MemorySegment codes, long offset, float scale) {
        Storage s = storage;
        int slot = size;
        if (slot == s.capacity()) {
            int capacity = Math.max(16, s.capacity() + (s.capacity() >> 1));
            Storage grown = Storage.allocate(capacity, codeBytes);
            MemorySegment.copy(s.codes(), 0, grown.codes(), 0, (long) slot * codeBytes);
            System.arraycopy(s.scales(), 0, grown.scales(), 0, slot);
            System.arraycopy(s.rows(), 0, grown.rows(), 0, slot);
            storage = grown;
            s = grown;
        }
        MemorySegment.copy(codes, offset, s.codes(), (long) slot * codeBytes, codeBytes);
        s.scales()[slot] = scale;
        s.rows()[slot] = row;
        size = slot + 1; // volatile write publishes the slot
        return slot;
    }

    /** Marks {@code slot} empty: searches that start after this skip it. Writer only. */
    void clear(int slot) {
        ROWS.setVolatile(storage.rows(), slot, -1);
    }

    /** Slots holding an item (not removed). */
    int live() {
        int n = size;
        int[] rows = storage.rows();
        return (int) Arrays.stream(rows, 0, n).filter(r -> r >= 0).count();
    }
}
