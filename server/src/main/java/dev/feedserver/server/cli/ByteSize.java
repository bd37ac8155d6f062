package dev.feedserver.server.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * Byte sizes on the command line: a whole number with an optional binary unit, {@code k}, {@code m},
 * {@code g}, {@code t} (also written {@code KiB}, {@code MB}, ...; all powers of 1024), e.g.
 * {@code 24g} or {@code 512MiB}. Stateless.
 */
public final class ByteSize implements ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?");

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    /**
     * @throws IllegalArgumentException if {@code value} is not a size, is zero, or overflows
     */
    public static long parse(String value) {
        Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a byte size; write e.g. 24g, 512m or 1073741824");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long number = Long.parseLong(m.group(1));
        if (number == 0 || number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("byte size '" + value + "' must be > 0 and < 8 EiB");
        }
        return number << shift;
    }
}
