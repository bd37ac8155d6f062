package dev.feedserver.bench;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The newest checkpoint is damaged on disk: two graceful stops write two checkpoints (the log
 * after the older one is kept), bytes in the middle of the newer one are flipped, and the
 * server restarts.
 */
final class CorruptCheckpointScenario implements FaultScenario {
    private static final int BATCH = 10;

    @Override
    public String name() {
        return "corrupt_checkpoint";
    }

    @Override
    public String fault() {
        return "the newest checkpoint file is corrupt (bytes flipped in the middle)";
    }

    @Override
    public String expected() {
        return "start-up skips it with a SEVERE line naming it, restores the previous checkpoint, replays the log after it, and "
                + "every acknowledged batch is there once";
    }

    @Override
    public void run(Context context, Observations observed) throws Exception {
        Path data = context.dir().resolve("data");
        List<Integer> acknowledged = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            try (FaultServer server = FaultServer.start(context.jar(), data, List.of(), List.of(), Context.SMALL, context.client())) {
                for (int b = round * 20; b < round * 20 + 20; b++) {
                    if (server.postUnshed("/v1/events", FaultBatches.body("cp", b, BATCH, null)).statusCode() == 202) {
                        acknowledged.add(b);
                    }
                }
                server.stop(); // checkpoint at shutdown
            }
        }
        List<Path> checkpoints;
        try (Stream<Path> files = Files.list(data.resolve("checkpoints"))) {
            checkpoints = files.filter(p -> p.getFileName().toString().endsWith(".ckp")).sorted().toList();
        }
        observed.check(checkpoints.size() == 2, checkpoints.size() + " checkpoints written by two graceful stops");
        if (checkpoints.size() < 2) {
            return;
        }
        Path newest = checkpoints.getLast();
        try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {0x13, 0x37, 0x13, 0x37}), channel.size() / 2);
        }
        observed.note("flipped 4 bytes in the middle of " + newest.getFileName());
        try (FaultServer restarted = FaultServer.start(context.jar(), data, List.of(), List.of(), Context.SMALL, context.client())) {
            String log = restarted.log();
            observed.check(log.contains(newest.getFileName() + " is unusable"), "a SEVERE line names the unusable checkpoint");
            observed.check(log.contains("recovery: checkpoint " + checkpoints.getFirst().getFileName()),
                    "recovery used the previous checkpoint " + checkpoints.getFirst().getFileName());
            int present = FaultBatches.presentOnce(restarted, "cp", acknowledged, BATCH);
            observed.check(present == acknowledged.size() && acknowledged.size() == 40,
                    present + " of " + acknowledged.size() + " acknowledged batches are there once (previous checkpoint + log)");
        }
    }
}
