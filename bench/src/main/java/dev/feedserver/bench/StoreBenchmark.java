package dev.feedserver.bench;

import dev.feedserver.embeddings.store.CuckooVectorStore;
import dev.feedserver.embeddings.store.StorageType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * get, drift and put on a {@link CuckooVectorStore} holding {@code entries} vectors (keys
 * 0..entries-1, sized for exactly that many, so at the table's design load of 0.92), each
 * operation on a uniformly random key of the filled set: the cache- and TLB-missing case a
 * feed server sees with millions of users. put overwrites an existing entry; drift moves it
 * 10% toward a random unit vector. The store is filled once per fork in the trial setup (from
 * a pool of 1,024 random unit vectors, so the fill costs only the puts) with progress on stdout.
 * The key draw (an xorshift and a multiply, ~1-2 ns) is part of every figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class StoreBenchmark {
    static final int POOL = 1_024;
    static final float ALPHA = 0.10f;

    @Param("1000000")
    public long entries;

    @Param("256")
    public int dim;

    @Param("INT8")
    public StorageType type;

    private CuckooVectorStore store;
    private float[][] pool;
    private long now;

    @Setup(Level.Trial)
    public void fill() {
        RandomVectors random = new RandomVectors(42);
        pool = new float[POOL][dim];
        for (float[] v : pool) {
            random.unitGaussian(v);
        }
        now = System.currentTimeMillis();
        store = new CuckooVectorStore(dim, type, entries);
        long start = System.nanoTime();
        long step = Math.max(1, entries / 10);
        System.out.printf("filling a %s %d-dim store with %,d entries (%,d MiB off-heap)%n", type, dim, entries,
                store.layout().totalBytes() >> 20);
        for (long key = 0; key < entries; key++) {
            store.put(key, pool[(int) (key * 0x9E3779B97F4A7C15L >>> 54)], now);
            if ((key + 1) % step == 0) {
                System.out.printf("  filled %,d / %,d (%.1f s)%n", key + 1, entries, (System.nanoTime() - start) / 1e9);
            }
        }
        if (store.size() != entries) {
            throw new IllegalStateException("store holds " + store.size() + " entries, expected " + entries);
        }
        System.out.printf("filled: load factor %.3f, %.0f ns per insert%n", store.loadFactor(),
                (System.nanoTime() - start) / (double) entries);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    /** Per-thread random key stream and destination array. */
    @State(Scope.Thread)
    public static class Cursor {
        long state;
        float[] dst;

        @Setup(Level.Trial)
        public void setUp(StoreBenchmark bench) {
            state = (System.nanoTime() ^ Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L) | 1;
            dst = new float[bench.dim];
        }

        long next() {
            long x = state;
            x ^= x >>> 12;
            x ^= x << 25;
            x ^= x >>> 27;
            state = x;
            return x * 0x2545F4914F6CDD1DL;
        }
    }

    @Benchmark
    public boolean get(Cursor cursor) {
        return store.get(Math.unsignedMultiplyHigh(cursor.next(), entries), cursor.dst);
    }

    @Benchmark
    public void drift(Cursor cursor) {
        long r = cursor.next();
        store.drift(Math.unsignedMultiplyHigh(r, entries), pool[(int) r & (POOL - 1)], ALPHA, now);
    }

    @Benchmark
    public void put(Cursor cursor) {
        long r = cursor.next();
        store.put(Math.unsignedMultiplyHigh(r, entries), pool[(int) r & (POOL - 1)], now);
    }
}
