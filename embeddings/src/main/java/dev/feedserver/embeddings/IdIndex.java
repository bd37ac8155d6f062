package dev.feedserver.embeddings;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps external string ids (user or item ids from the API and datasets) to dense row numbers
 * 0..n-1 and back. Rows index the off-heap {@link VectorTable}s; they are never reused.
 *
 * <p>Threading: lookups are lock-free; {@link #getOrCreate} serialises creation so each id gets
 * exactly one row. Lifecycle: heap only, nothing to release.
 */
public final class IdIndex {
    /** Largest id length accepted anywhere; longer ids are rejected by callers before lookup. */
    public static final int MAX_ID_LENGTH = 128;

    private final ConcurrentHashMap<String, Integer> rowsById = new ConcurrentHashMap<>();
    private final ChunkedArray<String> idsByRow = new ChunkedArray<>();

    /** The row of {@code id}, or -1 when it is unknown. */
    public int rowOf(String id) {
        Integer row = rowsById.get(id);
        return row == null ? -1 : row;
    }

    /** The row of {@code id}, creating the next dense row when it is new. */
    public int getOrCreate(String id) {
        Integer row = rowsById.get(id);
        if (row != null) {
            return row;
        }
        synchronized (this) {
            row = rowsById.get(id);
            if (row != null) {
                return row;
            }
            int created = idsByRow.append(id);
            rowsById.put(id, created);
            return created;
        }
    }

    /** The id stored at {@code row}. */
    public String idOf(int row) {
        return idsByRow.get(row);
    }

    /** Number of ids known. */
    public int size() {
        return idsByRow.size();
    }

    /** True when {@code id} is a usable id: 1..128 chars of letters, digits and {@code _-.:@}. */
    public static boolean isValidId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.' || c == ':' || c == '@';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
