package dev.feedserver.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.feedserver.embeddings.store.CuckooVectorStore;
import dev.feedserver.embeddings.store.StorageType;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.HashMap;

/**
 * Memory per entry of the off-heap store (really filled) and of an on-heap
 * {@code HashMap<Long, float[]>} holding the same vectors. Stateless; runs in the calling JVM.
 */
final class StoreMemory {
    private StoreMemory() {
    }

    /** One filled store: its layout's bytes over the entries it holds, plus the fill's cost. */
    record StoreFigure(int dim, StorageType type, long entries, long totalBytes, long entryBytes, double loadFactor,
                       double fillNsPerPut, long rssDeltaBytes) {
        double bytesPerEntry() {
            return totalBytes / (double) entries;
        }
    }

    /** The retained heap of one map, or why it was not measured. */
    record MapFigure(int dim, long entries, double bytesPerEntry, double expectedBytesPerEntry, String skipped) {
    }

    /**
     * Fills a store sized for {@code n} entries (so at its design load) with {@code n} random
     * vectors under keys 0..n-1, checks every key landed, and reports
     * {@code layout().totalBytes() / size()}; the resident-set growth of the process over the
     * fill is a cross-check, reported only for tables of at least 64 MiB (smaller ones may reuse
     * memory malloc kept from the previous table, so their growth says nothing), else -1.
     */
    static StoreFigure fillStore(int dim, StorageType type, long n, RandomVectors random) {
        long rssBefore = rssBytes();
        long now = System.currentTimeMillis();
        try (CuckooVectorStore store = new CuckooVectorStore(dim, type, n)) {
            float[] v = new float[dim];
            long step = n >= 2_000_000 ? n / 10 : Long.MAX_VALUE;
            long start = System.nanoTime();
            for (long key = 0; key < n; key++) {
                random.uniform(v);
                store.put(key, v, now);
                if ((key + 1) % step == 0) {
                    System.out.printf("    %,d / %,d (%.1f s)%n", key + 1, n, (System.nanoTime() - start) / 1e9);
                }
            }
            double fillNs = (System.nanoTime() - start) / (double) n;
            if (store.size() != n || !store.get(0, v) || !store.get(n - 1, v) || !store.get(n / 2, v)) {
                throw new IllegalStateException(type + " " + dim + "d store holds " + store.size() + " of " + n + " entries");
            }
            long rssAfter = rssBytes();
            long rssDelta = rssBefore < 0 || rssAfter < 0 || store.layout().totalBytes() < 64L << 20 ? -1 : rssAfter - rssBefore;
            return new StoreFigure(dim, type, store.size(), store.layout().totalBytes(), store.layout().entryBytes(),
                    store.loadFactor(), fillNs, rssDelta);
        }
    }

    /**
     * Retained heap of a {@code HashMap<Long, float[]>} (presized, keys 0..n-1, a fresh
     * {@code float[dim]} per entry): the GC'd used heap after building it minus before, each
     * read after repeated {@code System.gc()} rounds until it settles. Skipped (with the reason)
     * when the map would not fit the heap.
     */
    static MapFigure hashMap(int dim, long n, RandomVectors random) {
        double expected = expectedMapBytesPerEntry(dim, n);
        long base = settledHeapUsed();
        long room = Runtime.getRuntime().maxMemory() - base;
        if (n > Integer.MAX_VALUE / 2 || expected * n * 1.3 > room) {
            return new MapFigure(dim, n, Double.NaN, expected, String.format(
                    "needs about %,d MiB of heap, %,d MiB free (raise -Xmx via FEEDSERVER_JAVA_OPTS)",
                    (long) (expected * n) >> 20, room >> 20));
        }
        HashMap<Long, float[]> map = HashMap.newHashMap((int) n);
        for (long key = 0; key < n; key++) {
            float[] v = new float[dim];
            random.uniform(v);
            map.put(key, v);
        }
        long after = settledHeapUsed();
        if (map.size() != n) {
            throw new IllegalStateException("map holds " + map.size());
        }
        Reference.reachabilityFence(map);
        map = null;
        settledHeapUsed();
        return new MapFigure(dim, n, (after - base) / (double) n, expected, null);
    }

    /**
     * What the map should retain per entry on this JVM: a boxed Long, a HashMap.Node, a
     * reference in the power-of-two table, and the float[] (header plus elements, 8-aligned).
     */
    static double expectedMapBytesPerEntry(int dim, long n) {
        boolean compressed = vmFlag("UseCompressedOops", "true");
        boolean compactHeaders = vmFlag("UseCompactObjectHeaders", "true");
        int header = compactHeaders ? 8 : (compressed || vmFlag("UseCompressedClassPointers", "true") ? 12 : 16);
        int ref = compressed ? 4 : 8;
        long boxed = align(header + 8L);
        long node = align(header + 4L + 3L * ref);
        long array = align(header + 4L + 4L * dim);
        long table = Long.highestOneBit(Math.max(1, (long) Math.ceil(n / 0.75) - 1)) << 1;
        return boxed + node + array + table * ref / (double) n;
    }

    /** The used heap after System.gc() rounds, once two readings agree within 0.5% (at most 8 rounds). */
    static long settledHeapUsed() {
        long previous = -1;
        long used = 0;
        for (int round = 0; round < 8; round++) {
            System.gc();
            try {
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (previous >= 0 && Math.abs(used - previous) <= previous / 200) {
                break;
            }
            previous = used;
        }
        return used;
    }

    static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static boolean vmFlag(String name, String value) {
        return value.equals(vmOption(name));
    }

    private static long align(long bytes) {
        return (bytes + 7) / 8 * 8;
    }

    /** Resident set size of this process (VmRSS), or -1 where /proc is unavailable. */
    static long rssBytes() {
        return dev.feedserver.generation.registry.FootprintMeter.residentSetBytes();
    }
}
