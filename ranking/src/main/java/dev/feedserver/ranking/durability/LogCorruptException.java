package dev.feedserver.ranking.durability;

/**
 * A record before the end of the log failed its length or checksum test: the log cannot be
 * replayed past it without losing acknowledged events, so start-up stops and names the file
 * and offset. (A bad record at the very end is a torn write and is truncated instead.)
 */
public final class LogCorruptException extends RuntimeException {
    public LogCorruptException(String message) {
        super(message);
    }
}
