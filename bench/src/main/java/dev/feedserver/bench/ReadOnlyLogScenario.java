package dev.feedserver.bench;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The event-log folder becomes read-only under a running server: the server runs as user
 * {@code nobody} (root ignores permissions) with 4 KiB segments, and the folder's write
 * permission is removed, so the next segment cannot be created. Checks the refusals, that feeds
 * serve, that writes resume once the permission is back (same process), and what a restart
 * finds. (A read-only remount is not possible while the log holds a file open for writing.)
 */
final class ReadOnlyLogScenario implements FaultScenario {
    private static final int BATCH = 20;

    @Override
    public String name() {
        return "read_only_log_dir";
    }

    @Override
    public String fault() {
        return "the event-log folder loses its write permission while the server runs (new segments cannot be created)";
    }

    @Override
    public String expected() {
        return "503 event_log_unavailable once the open segment is full, feeds keep serving, writes resume without a restart "
                + "when the folder is writable again, and a restart finds every acknowledged batch once";
    }

    @Override
    public void run(Context context, Observations observed) throws Exception {
        if (!"root".equals(System.getProperty("user.name")) || Tmpfs.run("setpriv", "--version") != 0) {
            throw new Skipped("needs root and setpriv to run the server as another user");
        }
        // Under /tmp so that user nobody can reach it.
        Path root = Files.createTempDirectory("feedserver-faults-ro-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = root.resolve("data");
        Path events = data.resolve("events");
        Files.createDirectories(events);
        Tmpfs.run("chown", "-R", "nobody", root.toString());
        List<String> asNobody = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
        List<String> jvm = List.of("-Djava.io.tmpdir=" + root);
        List<String> args = new ArrayList<>(Context.SMALL);
        args.addAll(List.of("--segment-bytes", "4096"));
        List<Integer> acknowledged = new ArrayList<>();
        int refusedAt = -1;
        try (FaultServer server = FaultServer.start(context.jar(), data, asNobody, jvm, args, context.client())) {
            for (int b = 0; b < 5; b++) {
                if (server.postUnshed("/v1/events", FaultBatches.body("ro", b, BATCH, null)).statusCode() == 202) {
                    acknowledged.add(b);
                }
            }
            observed.check(acknowledged.size() == 5, acknowledged.size() + " of 5 batches acknowledged before the change");
            Files.setPosixFilePermissions(events, PosixFilePermissions.fromString("r-xr-xr-x"));
            HttpResponse<String> refusal = null;
            for (int b = 5; b < 200 && refusal == null; b++) {
                HttpResponse<String> response = server.postUnshed("/v1/events", FaultBatches.body("ro", b, BATCH, null));
                if (response.statusCode() == 202) {
                    acknowledged.add(b);
                } else {
                    refusal = response;
                    refusedAt = b;
                }
            }
            observed.check(refusal != null && refusal.statusCode() == 503 && "event_log_unavailable".equals(FaultServer.errorCode(refusal)),
                    "once the open segment filled, a batch was answered " + (refusal == null ? "nothing but 202" : refusal.statusCode() + " "
                            + FaultServer.errorCode(refusal)));
            observed.check(server.get("/v1/feed?user_id=u1&limit=5").statusCode() == 200, "feeds serve meanwhile");
            Files.setPosixFilePermissions(events, PosixFilePermissions.fromString("rwxr-xr-x"));
            int resumed = 0;
            for (int b = 1_000; b < 1_005; b++) {
                if (server.postUnshed("/v1/events", FaultBatches.body("ro", b, BATCH, null)).statusCode() == 202) {
                    acknowledged.add(b);
                    resumed++;
                }
            }
            observed.check(resumed == 5, resumed + " of 5 batches acknowledged once the folder was writable again, same process");
            server.kill();
        }
        try (FaultServer restarted = FaultServer.start(context.jar(), data, asNobody, jvm, args, context.client())) {
            int present = FaultBatches.presentOnce(restarted, "ro", acknowledged, BATCH);
            observed.check(present == acknowledged.size(), "after a kill and restart " + present + " of " + acknowledged.size()
                    + " acknowledged batches are there once");
            observed.check(refusedAt < 0 || restarted.interactions(FaultBatches.user("ro", refusedAt, 0)) < 0, "the refused batch is not");
        } finally {
            Tmpfs.run("rm", "-rf", root.toString());
        }
    }
}
