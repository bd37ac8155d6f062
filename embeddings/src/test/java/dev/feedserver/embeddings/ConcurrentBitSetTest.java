package dev.feedserver.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConcurrentBitSetTest {

    @Test
    void behavesLikeABitSet() {
        ConcurrentBitSet set = new ConcurrentBitSet();
        BitSet reference = new BitSet();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            int index = random.nextInt(300_000);
            if (random.nextBoolean()) {
                assertEquals(!reference.get(index), set.set(index));
                reference.set(index);
            } else {
                assertEquals(reference.get(index), set.clear(index));
                reference.clear(index);
            }
        }
        assertEquals(reference.cardinality(), set.cardinality());
        List<Integer> members = new ArrayList<>();
        set.forEach(members::add);
        assertEquals(reference.stream().boxed().toList(), members);
        assertFalse(set.contains(-1));
        assertFalse(set.contains(Integer.MAX_VALUE));
    }

    @Test
    void readersSeeEveryCompletedWriteWhileTheSetGrows() throws Exception {
        ConcurrentBitSet set = new ConcurrentBitSet();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        int[] published = new int[1];
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                int upTo;
                synchronized (published) {
                    upTo = published[0];
                }
                for (int i = 0; i < upTo; i += 3) {
                    if (!set.contains(i * 7)) {
                        failure.compareAndSet(null, "missing " + (i * 7));
                    }
                }
            }
        });
        for (int i = 0; i < 200_000; i++) {
            set.set(i * 7);
            synchronized (published) {
                published[0] = i + 1;
            }
        }
        done.set(true);
        reader.join();
        assertEquals(null, failure.get());
        assertTrue(set.contains(7 * 199_999));
    }
}
