package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The backend is chosen once per JVM, so each case runs in a child JVM. */
class KernelBackendTest {

    private static String run(String... properties) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BackendProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void nativeByDefault() throws Exception {
        String output = run();
        assertTrue(output.startsWith("NATIVE|native library "), output);
        assertTrue(output.endsWith("|1"), output);
    }

    @Test
    void javaWhenAskedAndSaysSoLoudly() throws Exception {
        String output = run("-Dfeed.kernels=java");
        assertTrue(output.contains("WARNING"), "the fallback is logged: " + output);
        assertTrue(output.contains("JAVA|pure-Java kernels requested"), output);
        assertTrue(output.endsWith("|1"), output);
    }

    @Test
    void javaWhenTheLibraryCannotLoad() throws Exception {
        String output = run("-Dfeed.native.lib=/nonexistent/libfeednative.so");
        assertTrue(output.contains("JAVA|native library unavailable"), output);
        assertTrue(output.endsWith("|1"), output);
    }
}
