package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** FEED_NATIVE_ISA is read once at library load, so each case runs in a fresh JVM. */
class EnvOverrideTest {

    /** Runs IsaProbe in a child JVM with FEED_NATIVE_ISA=value; returns [isa, supported, note]. */
    private static String[] probe(String value) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), IsaProbe.class.getName());
        pb.environment().put("FEED_NATIVE_ISA", value);
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, process.exitValue(), output);
        String[] lines = output.split("\\R");
        return lines[lines.length - 1].split("\\|", 3);
    }

    @Test
    void scalarOverrideIsHonored() throws Exception {
        String[] result = probe("scalar");
        assertEquals("scalar", result[0], String.join(" | ", result));
        assertEquals("FEED_NATIVE_ISA=scalar: using scalar", result[2].substring(0, result[2].indexOf(" (")));
    }

    @Test
    void avx2OverrideIsHonoredWhenSupported() throws Exception {
        assumeTrue(Isas.supported().contains("avx2"), "cpu lacks avx2");
        assertEquals("avx2", probe("avx2")[0]);
    }

    @Test
    void avxvnniOverrideIsHonoredWhenSupported() throws Exception {
        assumeTrue(Isas.supported().contains("avxvnni"), "cpu lacks avx-vnni");
        String[] result = probe("avxvnni");
        assertEquals("avxvnni", result[0], String.join(" | ", result));
        assertTrue(result[2].startsWith("FEED_NATIVE_ISA=avxvnni: using avxvnni"), result[2]);
    }

    @Test
    void avxvnniRequestFallsBackToAvx2OrScalarWhenUnsupported() throws Exception {
        List<String> supported = Isas.supported();
        assumeTrue(!supported.contains("avxvnni"), "cpu has avx-vnni");
        String[] result = probe("avxvnni");
        assertEquals(supported.contains("avx2") ? "avx2" : "scalar", result[0]);
        assertTrue(result[2].contains("requested but this cpu lacks") && result[2].contains("avxvnni"), result[2]);
    }

    @Test
    void unsupportedRequestFallsBackToBestAvailableAndSaysWhy() throws Exception {
        List<String> supported = Isas.supported();
        String[] result = probe("avx512");
        if (supported.contains("avx512vnni")) {
            assertEquals("avx512vnni", result[0]);
        } else {
            assertEquals(supported.getLast(), result[0]);
            assertTrue(result[2].contains("requested but this cpu lacks"), result[2]);
        }
    }

    @Test
    void unrecognizedValueUsesAutoDetection() throws Exception {
        String[] result = probe("sse9");
        assertEquals(Isas.supported().getLast(), result[0]);
        assertTrue(result[2].contains("FEED_NATIVE_ISA='sse9' not recognized"), result[2]);
    }
}
