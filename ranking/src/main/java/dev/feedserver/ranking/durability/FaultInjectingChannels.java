package dev.feedserver.ranking.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Event-log segment channels whose writes and fsyncs fail while a switch is on, as a full or
 * failing disk would: {@link #failWrites} makes every write throw "No space left on device"
 * after writing nothing, {@link #failForce} makes {@code force} throw an I/O error. For fault
 * tests and the {@code bench faults} suite (no real device fails an fsync on demand); the
 * server never uses it.
 *
 * <p>Threading: the switches are volatile and may be flipped from any thread. Lifecycle: each
 * channel it opens belongs to the event log that opened it.
 */
public final class FaultInjectingChannels implements EventLog.SegmentChannels {
    private volatile boolean failWrites;
    private volatile boolean failForce;
    private final java.util.concurrent.atomic.AtomicInteger forceFailures = new java.util.concurrent.atomic.AtomicInteger();

    /** Every write fails with "No space left on device" while {@code on}. */
    public void failWrites(boolean on) {
        failWrites = on;
    }

    /** Every fsync fails with an I/O error while {@code on}. */
    public void failForce(boolean on) {
        failForce = on;
    }

    /** Fsyncs failed so far. */
    public int forceFailures() {
        return forceFailures.get();
    }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        return new Channel(FileChannel.open(path, options));
    }

    private final class Channel extends FileChannel {
        private final FileChannel inner;

        Channel(FileChannel inner) {
            this.inner = inner;
        }

        private void checkWrite() throws IOException {
            if (failWrites) {
                throw new IOException("No space left on device (injected)");
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return inner.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return inner.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            checkWrite();
            return inner.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            checkWrite();
            return inner.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return inner.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            inner.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return inner.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            inner.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failForce) {
                forceFailures.incrementAndGet();
                throw new IOException("Input/output error (injected fsync failure)");
            }
            inner.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return inner.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            checkWrite();
            return inner.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return inner.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            checkWrite();
            return inner.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("not used by the event log");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return inner.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return inner.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            inner.close();
        }
    }
}
