package dev.feedserver.bench;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The event log's disk fills while batches are appended: a 1 MiB tmpfs with a 256 KiB ballast
 * file. Posts until a batch is refused, checks the refusal and that feeds still serve, deletes
 * the ballast and posts again on the same process, then kills it and restarts on a copy of the
 * log to count what survived.
 */
final class DiskFullScenario implements FaultScenario {
    private static final int BATCH = 50;

    @Override
    public String name() {
        return "disk_full_while_appending";
    }

    @Override
    public String fault() {
        return "the file system holding the event log runs out of space (1 MiB tmpfs)";
    }

    @Override
    public String expected() {
        return "POST /v1/events answers 503 event_log_unavailable (JSON) and applies nothing; feeds keep serving; once space is "
                + "freed writes succeed again without a restart; after a kill and restart every acknowledged batch is there once "
                + "and no refused one";
    }

    @Override
    public void run(Context context, Observations observed) throws Exception {
        List<Integer> acknowledged = new ArrayList<>();
        int refused = -1;
        Path logCopy = context.dir().resolve("events-copy");
        try (Tmpfs disk = Tmpfs.mount(context.dir().resolve("mnt"), "1m")) {
            Files.write(disk.path().resolve("ballast"), new byte[256 * 1024]);
            List<String> args = new ArrayList<>(Context.SMALL);
            args.addAll(List.of("--event-log-dir", disk.path().resolve("events").toString()));
            try (FaultServer server = FaultServer.start(context.jar(), context.dir().resolve("data"), List.of(), List.of(), args, context.client())) {
                HttpResponse<String> refusal = null;
                for (int b = 0; b < 2_000 && refusal == null; b++) {
                    HttpResponse<String> response = server.postUnshed("/v1/events", FaultBatches.body("df", b, BATCH, null));
                    if (response.statusCode() == 202) {
                        acknowledged.add(b);
                    } else {
                        refusal = response;
                        refused = b;
                    }
                }
                observed.check(refusal != null, "the disk filled after " + acknowledged.size() + " acknowledged batches of " + BATCH + " events");
                if (refusal == null) {
                    return;
                }
                observed.check(refusal.statusCode() == 503 && "event_log_unavailable".equals(FaultServer.errorCode(refusal)),
                        "the next batch was answered " + refusal.statusCode() + " " + FaultServer.errorCode(refusal));
                HttpResponse<String> again = server.postUnshed("/v1/events", FaultBatches.body("df", 9_999, BATCH, null));
                observed.check(again.statusCode() == 503, "a later batch is refused too while the disk is full (" + again.statusCode() + ")");
                int feeds = 0;
                for (int i = 0; i < 20; i++) {
                    feeds += server.get("/v1/feed?user_id=u" + i + "&limit=5").statusCode() == 200 ? 1 : 0;
                }
                observed.check(feeds == 20, feeds + " of 20 feeds answered 200 while writes were refused");
                Files.delete(disk.path().resolve("ballast"));
                int resumed = 0;
                for (int b = 5_000; b < 5_005; b++) {
                    if (server.postUnshed("/v1/events", FaultBatches.body("df", b, BATCH, null)).statusCode() == 202) {
                        acknowledged.add(b);
                        resumed++;
                    }
                }
                observed.check(resumed == 5, resumed + " of 5 batches acknowledged after 256 KiB were freed, same process");
                server.kill();
            }
            Files.createDirectories(logCopy);
            try (Stream<Path> files = Files.list(disk.path().resolve("events"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, logCopy.resolve(f.getFileName()));
                }
            }
        }
        List<String> args = new ArrayList<>(Context.SMALL);
        args.addAll(List.of("--event-log-dir", logCopy.toString()));
        try (FaultServer restarted = FaultServer.start(context.jar(), context.dir().resolve("data"), List.of(), List.of(), args, context.client())) {
            int present = FaultBatches.presentOnce(restarted, "df", acknowledged, BATCH);
            observed.check(present == acknowledged.size(), "after a kill and restart " + present + " of " + acknowledged.size()
                    + " acknowledged batches are there, each event once");
            boolean absent = restarted.interactions(FaultBatches.user("df", refused, 0)) < 0
                    && restarted.interactions(FaultBatches.user("df", 9_999, 0)) < 0;
            observed.check(absent, "the refused batches are not");
        }
    }
}
