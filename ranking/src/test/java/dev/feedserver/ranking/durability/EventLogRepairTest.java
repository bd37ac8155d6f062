package dev.feedserver.ranking.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log whose writes or fsyncs fail recovers without being reopened once the disk does. */
class EventLogRepairTest {
    @TempDir
    Path dir;

    private static byte[] payload(int i) {
        return ("record-" + i + "-" + "y".repeat(i % 31)).getBytes(StandardCharsets.UTF_8);
    }

    private List<byte[]> reopenAndReadAll() throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (EventLog log = EventLog.open(dir, Durability.NONE, 1 << 20, Duration.ofMillis(50))) {
            long[] expected = {1};
            log.replay(0, (sequence, bytes) -> {
                assertEquals(expected[0]++, sequence, "sequences stay contiguous");
                out.add(bytes);
            });
        }
        return out;
    }

    @Test
    void aFailedWriteRefusesAppendsUntilTheDiskHasSpaceThenContinuesWithoutAReopen() throws IOException {
        FaultInjectingChannels disk = new FaultInjectingChannels();
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 1 << 20, Duration.ofMillis(50), disk)) {
            for (int i = 0; i < 3; i++) {
                log.awaitDurable(log.append(payload(i)));
            }
            disk.failWrites(true);
            assertThrows(IOException.class, () -> log.append(payload(99)));
            assertTrue(log.failed());
            assertThrows(IOException.class, () -> log.append(payload(99)), "still full: refused again");
            assertEquals(4, log.nextSequence(), "refused records take no sequence");
            disk.failWrites(false);
            long sequence = log.append(payload(3));
            assertEquals(4, sequence);
            log.awaitDurable(sequence);
            assertFalse(log.failed());
        }
        List<byte[]> all = reopenAndReadAll();
        assertEquals(4, all.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(payload(i), all.get(i));
        }
    }

    @Test
    void aFailedFsyncIsNotAcknowledgedAndTheUnsyncedRecordsAreWrittenAgainFromMemory() throws IOException {
        FaultInjectingChannels disk = new FaultInjectingChannels();
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 1 << 20, Duration.ofMillis(50), disk)) {
            log.awaitDurable(log.append(payload(0)));
            disk.failForce(true);
            long second = log.append(payload(1));
            assertThrows(IOException.class, () -> log.awaitDurable(second), "an fsync that fails is not durability");
            assertTrue(log.failed());
            assertTrue(disk.forceFailures() >= 2, "the waiter tried a repair before giving up: " + disk.forceFailures());
            // What a failed fsync may leave on disk: the kernel dropped the dirty pages.
            Path segment = EventLog.segments(dir).getLast();
            try (FileChannel raw = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                long size = raw.size();
                raw.write(ByteBuffer.wrap(new byte[(int) (size - firstRecordEnd())]), firstRecordEnd());
            }
            assertThrows(IOException.class, () -> log.append(payload(2)), "refused while fsync still fails");
            disk.failForce(false);
            log.awaitDurable(second); // repairs: truncates to record 1 and writes record 2 again
            assertFalse(log.failed());
            log.awaitDurable(log.append(payload(2)));
        }
        List<byte[]> all = reopenAndReadAll();
        assertEquals(3, all.size(), "the unacknowledged record survived too, rewritten from memory");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(payload(i), all.get(i));
        }
    }

    @Test
    void aSegmentWhoseHeaderCouldNotBeWrittenIsStartedAgain() throws IOException {
        FaultInjectingChannels disk = new FaultInjectingChannels();
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 4096, Duration.ofMillis(50), disk)) {
            int i = 0;
            while (sizeOfLast() < 4096) { // the next append rolls to a new segment
                log.awaitDurable(log.append(payload(i++)));
            }
            disk.failWrites(true);
            int refused = i;
            assertThrows(IOException.class, () -> log.append(payload(refused)));
            assertEquals(0, sizeOfLast(), "the new segment's header could not be written");
            disk.failWrites(false);
            log.awaitDurable(log.append(payload(i++)));
            int written = i;
            List<byte[]> all = new ArrayList<>();
            log.replay(0, (sequence, bytes) -> all.add(bytes));
            assertEquals(written, all.size());
        }
        assertEquals(2, EventLog.segments(dir).size());
        assertFalse(reopenAndReadAll().isEmpty());
    }

    @Test
    void intervalModeRepairsAfterABackgroundFsyncFailure() throws Exception {
        FaultInjectingChannels disk = new FaultInjectingChannels();
        try (EventLog log = EventLog.open(dir, Durability.INTERVAL, 1 << 20, Duration.ofMillis(5), disk)) {
            log.append(payload(0));
            disk.failForce(true);
            log.append(payload(1));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!log.failed() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(log.failed(), "the background fsync failed");
            disk.failForce(false);
            log.append(payload(2));
            assertFalse(log.failed());
        }
        assertEquals(3, reopenAndReadAll().size());
    }

    private long sizeOfLast() throws IOException {
        return Files.size(EventLog.segments(dir).getLast());
    }

    private static long firstRecordEnd() {
        return EventLog.HEADER_BYTES + EventLog.RECORD_HEADER_BYTES + payload(0).length;
    }
}
