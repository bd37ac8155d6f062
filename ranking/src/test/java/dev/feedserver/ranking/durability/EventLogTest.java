package dev.feedserver.ranking.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {
    @TempDir
    Path dir;

    private static byte[] payload(int i) {
        return ("record-" + i + "-" + "x".repeat(i % 97)).getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> replayAll(EventLog log) throws IOException {
        List<byte[]> out = new ArrayList<>();
        long[] expected = {1};
        log.replay(0, (sequence, payload) -> {
            assertEquals(expected[0]++, sequence);
            out.add(payload);
        });
        return out;
    }

    @Test
    void recordsSurviveRollsAndReopenInOrder() throws IOException {
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 4096, Duration.ofMillis(100))) {
            for (int i = 0; i < 500; i++) {
                long sequence = log.append(payload(i));
                assertEquals(i + 1, sequence);
                log.awaitDurable(sequence);
            }
        }
        assertTrue(EventLog.segments(dir).size() > 5, "small segments rolled");
        try (EventLog log = EventLog.open(dir, Durability.NONE, 4096, Duration.ofMillis(100))) {
            assertEquals(501, log.nextSequence());
            List<byte[]> all = replayAll(log);
            assertEquals(500, all.size());
            for (int i = 0; i < 500; i++) {
                assertArrayEquals(payload(i), all.get(i));
            }
            assertEquals(501, log.append(payload(500)));
            List<byte[]> after = new ArrayList<>();
            log.replay(498, (sequence, bytes) -> after.add(bytes));
            assertEquals(3, after.size(), "replay after a sequence starts past it");
        }
    }

    @Test
    void aTornLastRecordIsTruncatedAndAppendsContinue() throws IOException {
        try (EventLog log = EventLog.open(dir, Durability.NONE, 1 << 20, Duration.ofMillis(100))) {
            for (int i = 0; i < 10; i++) {
                log.append(payload(i));
            }
        }
        Path last = EventLog.segments(dir).getLast();
        long size = Files.size(last);
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
            channel.truncate(size - 5); // the crash cut the last record short
        }
        try (EventLog log = EventLog.open(dir, Durability.NONE, 1 << 20, Duration.ofMillis(100))) {
            assertEquals(10, log.nextSequence(), "record 10 was torn and dropped");
            assertEquals(9, replayAll(log).size());
            assertEquals(10, log.append(payload(99)));
        }
        try (EventLog log = EventLog.open(dir, Durability.NONE, 1 << 20, Duration.ofMillis(100))) {
            List<byte[]> all = replayAll(log);
            assertEquals(10, all.size());
            assertArrayEquals(payload(99), all.get(9));
        }
    }

    @Test
    void garbageAfterTheLastRecordIsTruncated() throws IOException {
        try (EventLog log = EventLog.open(dir, Durability.NONE, 1 << 20, Duration.ofMillis(100))) {
            log.append(payload(1));
            log.append(payload(2));
        }
        Path last = EventLog.segments(dir).getLast();
        Files.write(last, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20},
                StandardOpenOption.APPEND);
        try (EventLog log = EventLog.open(dir, Durability.NONE, 1 << 20, Duration.ofMillis(100))) {
            assertEquals(3, log.nextSequence());
            assertEquals(2, replayAll(log).size());
        }
    }

    @Test
    void corruptionBeforeTheEndStopsTheOpenWithItsLocation() throws IOException {
        try (EventLog log = EventLog.open(dir, Durability.NONE, 4096, Duration.ofMillis(100))) {
            for (int i = 0; i < 200; i++) {
                log.append(payload(i));
            }
        }
        Path first = EventLog.segments(dir).getFirst();
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, 40);
            one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
            channel.write(one, 40); // a flipped bit inside the first record's payload
        }
        LogCorruptException e = assertThrows(LogCorruptException.class,
                () -> EventLog.open(dir, Durability.NONE, 4096, Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains(first.getFileName().toString()) && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void concurrentWritersShareFsyncsAndEveryRecordIsThereOnce() throws Exception {
        int threads = 8;
        int perThread = 300;
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 64 * 1024, Duration.ofMillis(100))) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String text = "w" + id + "-" + i;
                        try {
                            long sequence = log.append(text.getBytes(StandardCharsets.UTF_8));
                            log.awaitDurable(sequence);
                            assertTrue(log.durableSequence() >= sequence);
                            acknowledged.put(sequence, text);
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join();
            }
        }
        assertEquals(threads * perThread, acknowledged.size());
        try (EventLog log = EventLog.open(dir, Durability.NONE, 64 * 1024, Duration.ofMillis(100))) {
            List<byte[]> all = replayAll(log);
            assertEquals(threads * perThread, all.size());
            for (int i = 0; i < all.size(); i++) {
                assertEquals(acknowledged.get(i + 1L), new String(all.get(i), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void intervalModeSyncsInTheBackground() throws Exception {
        try (EventLog log = EventLog.open(dir, Durability.INTERVAL, 1 << 20, Duration.ofMillis(20))) {
            long sequence = log.append(payload(1));
            log.awaitDurable(sequence); // returns at once in this mode
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (log.durableSequence() < sequence && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(sequence, log.durableSequence());
        }
    }

    @Test
    void segmentsCoveredByASnapshotCanBeDeleted() throws IOException {
        try (EventLog log = EventLog.open(dir, Durability.NONE, 4096, Duration.ofMillis(100))) {
            for (int i = 0; i < 300; i++) {
                log.append(payload(i));
            }
            int before = EventLog.segments(dir).size();
            int deleted = log.deleteSegmentsUpTo(150);
            assertTrue(deleted > 0 && deleted < before, deleted + " of " + before);
            List<Long> seen = new ArrayList<>();
            log.replay(150, (sequence, bytes) -> seen.add(sequence));
            assertEquals(150, seen.size());
            assertEquals(151L, seen.getFirst());
        }
    }

    @Test
    void retentionKeepsCoveredHistoryWithinItsBudgetAndNeverDropsUncoveredRecords() throws IOException {
        try (EventLog log = EventLog.open(dir, Durability.NONE, 4096, Duration.ofMillis(100))) {
            for (int i = 0; i < 600; i++) {
                log.append(payload(i));
            }
            int segments = EventLog.segments(dir).size();
            assertTrue(segments > 8, "small segments rolled: " + segments);
            long total = log.bytes();
            // A budget of half the log, nothing by age: oldest covered segments go until under it.
            log.setRetention(new LogRetention(total / 2, Duration.ofDays(365)));
            int deleted = log.deleteSegmentsUpTo(600);
            assertTrue(deleted > 0 && deleted < segments, "some, not all, deleted: " + deleted);
            assertTrue(log.bytes() <= total / 2, "within the byte budget: " + log.bytes() + " > " + total / 2);
            long firstKept = EventLog.firstSequenceOf(EventLog.segments(dir).get(0));
            // What is left still replays in order from its first record.
            List<Long> sequences = new ArrayList<>();
            log.replay(firstKept - 1, (sequence, bytes) -> sequences.add(sequence));
            assertEquals(firstKept, sequences.get(0));
            assertEquals(600, sequences.get(sequences.size() - 1));

            // Nothing is covered: a zero budget still deletes nothing.
            log.setRetention(LogRetention.NONE);
            assertEquals(0, log.deleteSegmentsUpTo(firstKept - 1));

            // By age: segments last written long ago go even within the byte budget.
            log.setRetention(new LogRetention(Long.MAX_VALUE, Duration.ofHours(1)));
            assertEquals(0, log.deleteSegmentsUpTo(600), "every segment is recent");
            Path oldest = EventLog.segments(dir).get(0);
            java.nio.file.Files.setLastModifiedTime(oldest, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000L));
            assertEquals(1, log.deleteSegmentsUpTo(600), "the old one goes");
            assertThrows(IllegalArgumentException.class, () -> new LogRetention(-1, Duration.ZERO));
        }
    }
}
