package dev.feedserver.ranking.durability;

import java.io.IOException;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only log of opaque records (event batches) in segment files, each record numbered
 * (its sequence, from 1, without gaps) and checksummed, made durable according to a
 * {@link Durability} mode.
 *
 * <p>Files: {@code segment-<first sequence, 20 digits>.log} in one directory. A segment starts
 * with a 16-byte header ({@code "FLOG"}, version 1, first sequence); each record is
 * {@code length u32 | crc32c u32 | sequence u64 | payload}, little-endian, the CRC covering
 * the sequence and the payload. A segment is closed (fsynced) and a new one started once it
 * passes {@code segmentBytes}. Segments a checkpoint covers are deleted as the
 * {@link LogRetention} allows (by default at once).
 *
 * <p>Opening scans every segment. A bad record at the end of the last segment is a write cut
 * short by a crash: it is truncated, with a warning naming the bytes dropped. A bad record
 * anywhere else is corruption of acknowledged data: {@link LogCorruptException}.
 *
 * <p>Failures: a failed write or fsync marks the log failed. Records written since the last
 * successful fsync are kept in memory until one covers them, so the next {@link #append} or
 * {@link #awaitDurable} repairs the log without a restart: it reopens the segment, truncates it
 * back to the end of the last durable record (dropping a torn write and whatever the kernel may
 * have lost with a failed fsync), writes the kept records again and fsyncs; a segment whose
 * header never became durable is deleted and started again. Until a repair succeeds (the disk
 * has space again, the I/O error is gone) every append throws {@link IOException}.
 *
 * <p>Threading: any number of threads may {@link #append} and {@link #awaitDurable}; appends are
 * serialised, and in {@link Durability#FSYNC} mode the first waiter fsyncs for everyone written
 * so far (group commit) while the others wait. A payload passed to {@link #append} is kept (not
 * copied) until it is durable, so callers must not change it. Lifecycle: {@link #open} creates
 * the directory if needed; {@link #close} fsyncs and releases the files.
 */
public final class EventLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventLog.class.getName());
    private static final int MAGIC = 0x474f4c46; // "FLOG" little-endian
    private static final int VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int RECORD_HEADER_BYTES = 16;
    /** Largest payload accepted; a length above it in a file is corruption, not a record. */
    public static final int MAX_PAYLOAD_BYTES = 16 << 20;

    private final Path dir;
    private final Durability durability;
    private final long segmentBytes;
    private final ScheduledExecutorService syncer;
    private final Object syncLock = new Object();
    private final SegmentChannels channels;
    // Written under this monitor; read without it by fsyncing threads, which must not wait for appends.
    private volatile FileChannel segment;
    // Whether the current segment's header is durable; a repair starts a segment again when not.
    private boolean segmentReady;
    private Path segmentPath;
    private LogRetention retention = LogRetention.NONE;
    private long segmentSize;
    private long nextSequence;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    // The write or fsync failure a repair has not yet cleared; null while healthy.
    private volatile IOException failed;
    // Guarded by syncLock.
    private long writtenSequence;
    private long durableSequence;
    private boolean syncing;
    // Guarded by syncLock: the end of the last durable record in the current segment, and the
    // records written after it (what a repair writes again).
    private long durableOffset;
    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer sequenceBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    /** A record written but not yet known durable. */
    private record Pending(long sequence, byte[] payload) {
    }

    /**
     * Opens segment files; the seam through which tests and the fault suite inject failing
     * channels (a {@code force} that throws, a full disk). Must be thread-safe.
     */
    @FunctionalInterface
    public interface SegmentChannels {
        /** The plain file system. */
        SegmentChannels FILES = FileChannel::open;

        FileChannel open(Path path, java.nio.file.OpenOption... options) throws IOException;
    }

    private EventLog(Path dir, Durability durability, long segmentBytes, Duration syncInterval, SegmentChannels channels) throws IOException {
        this.dir = dir;
        this.channels = channels;
        this.durability = durability;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        List<Path> segments = segments(dir);
        long next = 1;
        for (int i = 0; i < segments.size(); i++) {
            // the first segment may start past 1 once segments covered by a checkpoint are deleted
            next = scan(segments.get(i), i == 0 ? -1 : next, i == segments.size() - 1, null);
        }
        this.nextSequence = next;
        this.writtenSequence = next - 1;
        this.durableSequence = next - 1;
        if (segments.isEmpty()) {
            startSegment();
        } else {
            segmentPath = segments.get(segments.size() - 1);
            segment = channels.open(segmentPath, StandardOpenOption.WRITE, StandardOpenOption.READ);
            segmentSize = segment.size();
            segment.position(segmentSize);
            segmentReady = true;
            durableOffset = segmentSize;
        }
        if (durability == Durability.INTERVAL) {
            syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "event-log-sync");
                t.setDaemon(true);
                return t;
            });
            long millis = Math.max(1, syncInterval.toMillis());
            syncer.scheduleWithFixedDelay(this::syncQuietly, millis, millis, TimeUnit.MILLISECONDS);
        } else {
            syncer = null;
        }
    }

    /** Opens (or creates) the log in {@code dir}, repairing a torn tail; see the class comment. */
    public static EventLog open(Path dir, Durability durability, long segmentBytes, Duration syncInterval) throws IOException {
        return open(dir, durability, segmentBytes, syncInterval, SegmentChannels.FILES);
    }

    /** As {@link #open(Path, Durability, long, Duration)}, writing segments through {@code channels} (fault injection). */
    public static EventLog open(Path dir, Durability durability, long segmentBytes, Duration syncInterval, SegmentChannels channels)
            throws IOException {
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be >= 4096, got " + segmentBytes);
        }
        return new EventLog(dir, durability, segmentBytes, syncInterval, java.util.Objects.requireNonNull(channels, "channels"));
    }

    /** Whether a write or fsync failed and no repair has succeeded since. */
    public boolean failed() {
        return failed != null;
    }

    public Durability durability() {
        return durability;
    }

    /** Sequence of the oldest record still in the log (older segments may have been deleted). */
    public synchronized long firstSequence() throws IOException {
        List<Path> segments = segments(dir);
        return segments.isEmpty() ? nextSequence : firstSequenceOf(segments.get(0));
    }

    /** Sequence the next appended record will get. */
    public synchronized long nextSequence() {
        return nextSequence;
    }

    /** Highest sequence known durable under the mode (all written ones in {@link Durability#NONE} and INTERVAL once synced). */
    public long durableSequence() {
        synchronized (syncLock) {
            return durableSequence;
        }
    }

    /**
     * Appends one record and returns its sequence. The bytes are written (in the page cache) when
     * this returns; call {@link #awaitDurable} before acknowledging in {@link Durability#FSYNC}.
     *
     * @throws IOException when the write fails, or the log failed earlier and cannot be repaired
     *                     yet; nothing of this record counts as written
     */
    public synchronized long append(byte[] payload) throws IOException {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("record of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
        }
        if (failed != null) {
            repair();
        }
        long sequence = nextSequence;
        try {
            if (segmentSize >= segmentBytes) {
                roll();
            }
            segmentSize += writeRecord(segment, sequence, payload);
        } catch (IOException e) {
            failed = e; // the file end is unknown now: the next append repairs first
            throw e;
        }
        nextSequence = sequence + 1;
        synchronized (syncLock) {
            writtenSequence = sequence;
            if (durability == Durability.NONE) {
                durableSequence = sequence;
                durableOffset = segmentSize;
            } else {
                pending.addLast(new Pending(sequence, payload));
            }
        }
        return sequence;
    }

    /** Writes one framed record at the channel's position; returns its size. */
    private int writeRecord(FileChannel channel, long sequence, byte[] payload) throws IOException {
        int total = RECORD_HEADER_BYTES + payload.length;
        if (buffer.capacity() < total) {
            buffer = ByteBuffer.allocateDirect(Math.max(total, buffer.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        crc.reset();
        sequenceBytes.putLong(0, sequence);
        crc.update(sequenceBytes.array());
        crc.update(payload);
        buffer.clear();
        buffer.putInt(payload.length).putInt((int) crc.getValue()).putLong(sequence).put(payload).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        return total;
    }

    /**
     * Brings a failed log back (see the class comment): truncates the current segment to its last
     * durable record, writes the records kept since then again and fsyncs. Runs with no fsync in
     * flight. A no-op while healthy.
     *
     * @throws IOException when the disk still fails; the log stays failed
     */
    private synchronized void repair() throws IOException {
        IOException cause = failed;
        if (cause == null) {
            return;
        }
        synchronized (syncLock) {
            while (syncing) {
                try {
                    syncLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting to repair the event log", e);
                }
            }
            syncing = true;
        }
        try {
            closeQuietly(segment);
            if (!segmentReady) {
                Files.deleteIfExists(segmentPath); // a header that never became durable
                startSegment();
            } else {
                rewriteTail();
            }
            failed = null;
            LOG.warning("event log " + dir + " is writable again after: " + cause);
        } catch (IOException e) {
            failed = e;
            throw new IOException("event log is unavailable (" + e.getMessage() + "; first failure: " + cause.getMessage() + ")", e);
        } finally {
            synchronized (syncLock) {
                syncing = false;
                syncLock.notifyAll();
            }
        }
    }

    private void rewriteTail() throws IOException {
        long offset;
        List<Pending> again;
        synchronized (syncLock) {
            offset = durableOffset;
            again = List.copyOf(pending);
        }
        FileChannel channel = channels.open(segmentPath, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            channel.truncate(offset);
            channel.position(offset);
            for (Pending record : again) {
                offset += writeRecord(channel, record.sequence(), record.payload());
            }
            channel.force(false);
        } catch (IOException e) {
            closeQuietly(channel);
            throw e;
        }
        segment = channel;
        segmentSize = offset;
        synchronized (syncLock) {
            durableSequence = Math.max(durableSequence, writtenSequence);
            durableOffset = offset;
            pending.clear();
            syncLock.notifyAll();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing a failed segment channel", e);
        }
    }

    /**
     * Returns once {@code sequence} is durable under the mode: in {@link Durability#FSYNC} after
     * an fsync that covers it. The first waiter fsyncs everything written so far, outside the
     * append lock, while later waiters wait for it (group commit); other modes return at once.
     *
     * <p>When the log has failed, the caller repairs it (at most twice per call), which makes
     * every kept record durable.
     *
     * @throws IOException when the fsync fails and a repair cannot fix it (the batch must not be acknowledged)
     */
    public void awaitDurable(long sequence) throws IOException {
        if (durability != Durability.FSYNC) {
            return;
        }
        int repairs = 0;
        while (true) {
            long target;
            IOException earlier = failed;
            if (earlier != null) {
                synchronized (syncLock) {
                    if (durableSequence >= sequence) {
                        return;
                    }
                }
                if (++repairs > 2) {
                    throw new IOException("event log is unavailable: " + earlier.getMessage(), earlier);
                }
                repair();
                continue;
            }
            synchronized (syncLock) {
                while (durableSequence < sequence && syncing) {
                    try {
                        syncLock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted waiting for fsync", e);
                    }
                }
                if (durableSequence >= sequence) {
                    return;
                }
                if (failed != null) {
                    continue; // an fsync failed meanwhile: repair rather than trust another fsync
                }
                syncing = true;
                target = writtenSequence;
            }
            IOException failure = null;
            boolean synced = false;
            try {
                segment.force(false);
                synced = true;
            } catch (java.nio.channels.ClosedChannelException e) {
                // a roll closed the segment after fsyncing it (and advanced durableSequence): look again
            } catch (IOException e) {
                failure = e;
            }
            synchronized (syncLock) {
                syncing = false;
                if (synced) {
                    markDurable(target);
                } else if (failure != null) {
                    failed = failure; // what the page cache held may be lost: rewrite it from memory
                }
                syncLock.notifyAll();
            }
            if (failure != null) {
                LOG.log(Level.WARNING, "event log fsync failed; repairing", failure);
            }
        }
    }

    /** Records up to {@code target} are on disk: advance the durable end over them. Holds syncLock. */
    private void markDurable(long target) {
        durableSequence = Math.max(durableSequence, target);
        while (!pending.isEmpty() && pending.peekFirst().sequence() <= target) {
            durableOffset += RECORD_HEADER_BYTES + pending.removeFirst().payload().length;
        }
    }

    private void syncQuietly() {
        long target;
        synchronized (syncLock) {
            if (syncing || failed != null) {
                return; // a waiter or a repair is at it; the next append repairs a failed log
            }
            syncing = true;
            target = writtenSequence;
        }
        boolean synced = false;
        try {
            segment.force(false);
            synced = true;
        } catch (java.nio.channels.ClosedChannelException e) {
            // a roll or close fsynced and closed the segment meanwhile
        } catch (IOException e) {
            failed = e;
            LOG.log(Level.WARNING, "event log fsync failed; the next append repairs the log", e);
        } finally {
            synchronized (syncLock) {
                syncing = false;
                if (synced) {
                    markDurable(target);
                }
                syncLock.notifyAll();
            }
        }
    }

    /**
     * Reads every record with a sequence above {@code afterSequence}, in order, verifying each
     * checksum; {@code sink} gets the sequence and payload.
     */
    public void replay(long afterSequence, RecordSink sink) throws IOException {
        List<Path> segments;
        synchronized (this) {
            segments = segments(dir);
        }
        long expected = -1;
        for (Path path : segments) {
            expected = scan(path, expected, false, (sequence, payload) -> {
                if (sequence > afterSequence) {
                    sink.accept(sequence, payload);
                }
            });
        }
    }

    /** Receives replayed records. */
    @FunctionalInterface
    public interface RecordSink {
        void accept(long sequence, byte[] payload);
    }

    /**
     * Deletes closed segments whose records all have sequences at or below {@code coveredUpTo}
     * (for example, included in a snapshot), oldest first, as the {@link #retention} allows.
     * Returns the number deleted.
     */
    public synchronized int deleteSegmentsUpTo(long coveredUpTo) throws IOException {
        List<Path> segments = segments(dir);
        long total = 0;
        for (Path p : segments) {
            total += Files.size(p);
        }
        long now = System.currentTimeMillis();
        int deleted = 0;
        for (int i = 0; i + 1 < segments.size(); i++) {
            Path segment = segments.get(i);
            long nextFirst = firstSequenceOf(segments.get(i + 1));
            boolean covered = nextFirst - 1 <= coveredUpTo && !segment.equals(segmentPath);
            if (!covered || !retention.deletes(total, Files.getLastModifiedTime(segment).toMillis(), now)) {
                break;
            }
            long size = Files.size(segment);
            Files.delete(segment);
            total -= size;
            deleted++;
        }
        return deleted;
    }

    /** Sets how much covered history {@link #deleteSegmentsUpTo} keeps (default {@link LogRetention#NONE}). */
    public synchronized void setRetention(LogRetention policy) {
        this.retention = java.util.Objects.requireNonNull(policy, "policy");
    }

    /** The current retention policy. */
    public synchronized LogRetention retention() {
        return retention;
    }

    /** Total bytes of all segment files. */
    public synchronized long bytes() throws IOException {
        long total = 0;
        for (Path p : segments(dir)) {
            total += Files.size(p);
        }
        return total;
    }

    @Override
    public synchronized void close() throws IOException {
        if (syncer != null) {
            syncer.shutdownNow();
            try {
                syncer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failed != null) {
            try {
                repair(); // last chance to make the kept records durable
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "closing a failed event log; records since the last fsync may be lost", e);
                closeQuietly(segment);
                return;
            }
        }
        FileChannel current = segment;
        if (current != null && current.isOpen()) {
            try {
                current.force(true);
            } finally {
                current.close();
            }
        }
    }

    private void roll() throws IOException {
        segment.force(true);
        segment.close();
        synchronized (syncLock) {
            durableSequence = Math.max(durableSequence, writtenSequence);
            pending.clear();
            syncLock.notifyAll();
        }
        startSegment();
    }

    private void startSegment() throws IOException {
        segmentReady = false;
        segmentPath = dir.resolve(String.format("segment-%020d.log", nextSequence));
        segment = channels.open(segmentPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putInt(VERSION).putLong(nextSequence).flip();
        while (header.hasRemaining()) {
            segment.write(header);
        }
        segment.force(true);
        forceDirectory();
        segmentSize = HEADER_BYTES;
        segmentReady = true;
        synchronized (syncLock) {
            durableOffset = HEADER_BYTES;
        }
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be opened for fsync; the file itself is synced
        }
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("segment-\\d{20}\\.log")).sorted().toList();
        }
    }

    static long firstSequenceOf(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring("segment-".length(), name.length() - ".log".length()));
    }

    /**
     * Reads one segment; returns the sequence after its last record. {@code expected} is the
     * sequence its first record must have (-1: take the header's). In the last segment
     * ({@code repairTail}) a bad record and everything after it is truncated; elsewhere it throws.
     */
    private static long scan(Path path, long expected, boolean repairTail, RecordSink sink) throws IOException {
        try (FileChannel channel = FileChannel.open(path, repairTail
                ? new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                : new StandardOpenOption[] {StandardOpenOption.READ})) {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            if (readFully(channel, header, 0) < HEADER_BYTES || header.getInt(0) != MAGIC || header.getInt(4) != VERSION) {
                throw new LogCorruptException(path + ": not an event-log segment (bad header)");
            }
            long first = header.getLong(8);
            if (first != firstSequenceOf(path) || (expected > 0 && first != expected)) {
                throw new LogCorruptException(path + ": starts at sequence " + first + ", expected " + (expected > 0 ? expected : firstSequenceOf(path)));
            }
            long sequence = first;
            long position = HEADER_BYTES;
            ByteBuffer recordHeader = ByteBuffer.allocate(RECORD_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            CRC32C crc = new CRC32C();
            while (position < size) {
                String problem = null;
                byte[] payload = null;
                recordHeader.clear();
                if (readFully(channel, recordHeader, position) < RECORD_HEADER_BYTES) {
                    problem = "record header cut short";
                } else {
                    int length = recordHeader.getInt(0);
                    int storedCrc = recordHeader.getInt(4);
                    long recordSequence = recordHeader.getLong(8);
                    if (length < 0 || length > MAX_PAYLOAD_BYTES) {
                        problem = "impossible length " + length;
                    } else if (position + RECORD_HEADER_BYTES + length > size) {
                        problem = "payload cut short";
                    } else {
                        ByteBuffer body = ByteBuffer.allocate(length);
                        readFully(channel, body, position + RECORD_HEADER_BYTES);
                        payload = body.array();
                        crc.reset();
                        crc.update(recordHeader.array(), 8, 8);
                        crc.update(payload);
                        if ((int) crc.getValue() != storedCrc) {
                            problem = "checksum mismatch";
                        } else if (recordSequence != sequence) {
                            problem = "sequence " + recordSequence + " where " + sequence + " was expected";
                        }
                    }
                }
                if (problem != null) {
                    if (!repairTail) {
                        throw new LogCorruptException(path + " at byte " + position + ": " + problem
                                + "; records after it cannot be replayed (move the file aside to start without them)");
                    }
                    LOG.warning(String.format("%s: %s at byte %d; truncating %d bytes (a write cut short by a crash)",
                            path, problem, position, size - position));
                    channel.truncate(position);
                    channel.force(true);
                    break;
                }
                if (sink != null) {
                    sink.accept(sequence, payload);
                }
                position += RECORD_HEADER_BYTES + payload.length;
                sequence++;
            }
            return sequence;
        }
    }

    private static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
