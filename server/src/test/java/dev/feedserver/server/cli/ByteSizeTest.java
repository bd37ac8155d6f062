package dev.feedserver.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void parsesBinaryUnits() {
        assertEquals(24L << 30, ByteSize.parse("24g"));
        assertEquals(24L << 30, ByteSize.parse("24GiB"));
        assertEquals(512L << 20, ByteSize.parse("512m"));
        assertEquals(3L << 10, ByteSize.parse("3 KB"));
        assertEquals(1L << 40, ByteSize.parse("1t"));
        assertEquals(12345, ByteSize.parse("12345"));
    }

    @Test
    void rejectsWhatIsNotASize() {
        for (String bad : new String[] {"", "g", "-1g", "1.5g", "0", "24x", "9999999999999t"}) {
            assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(bad), bad);
        }
    }
}
