package dev.feedserver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one scenario (root only), so a disk can be filled in seconds.
 * {@link #close} unmounts it (lazily, should a process still hold a file). Not thread-safe.
 */
final class Tmpfs implements AutoCloseable {
    private final Path mount;

    private Tmpfs(Path mount) {
        this.mount = mount;
    }

    /** Mounts a tmpfs of {@code size} (mount's syntax, e.g. {@code 1m}) at {@code mount}. */
    static Tmpfs mount(Path mount, String size) throws IOException, InterruptedException, FaultScenario.Skipped {
        Files.createDirectories(mount);
        if (run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString()) != 0) {
            throw new FaultScenario.Skipped("cannot mount a " + size + " tmpfs (needs root and mount permission)");
        }
        return new Tmpfs(mount);
    }

    Path path() {
        return mount;
    }

    /** Runs a command, discarding its output; returns its exit code (-1 after 30 s). */
    static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", mount.toString());
    }
}
