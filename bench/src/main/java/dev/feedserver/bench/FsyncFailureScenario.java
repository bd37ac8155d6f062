package dev.feedserver.bench;

import dev.feedserver.ranking.durability.FaultInjectingChannels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * fsync fails under the write path (an injected segment channel; a real device cannot be made
 * to fail on demand here), in process: acknowledged batches before, a batch whose fsync fails,
 * a batch while it still fails, then writes again once fsync works, and a reopen.
 */
final class FsyncFailureScenario implements FaultScenario {
    private static final int BATCH = 10;

    @Override
    public String name() {
        return "fsync_failure";
    }

    @Override
    public String fault() {
        return "fsync of the event log fails (injected through EventLog.SegmentChannels; in process, ChangeJournal + EventLog "
                + "in FSYNC mode, an IOException being what the HTTP layer answers 503 event_log_unavailable)";
    }

    @Override
    public String expected() {
        return "the batch is not acknowledged; writes are refused while fsync fails; they succeed again without a reopen once it "
                + "works; after a reopen every acknowledged batch is there once (the refused-at-fsync batch, already applied, is "
                + "rewritten from memory and is there once too)";
    }

    @Override
    public void run(Context context, Observations observed) throws Exception {
        Path dir = context.dir().resolve("log");
        FaultInjectingChannels disk = new FaultInjectingChannels();
        List<Integer> acknowledged = new ArrayList<>();
        try (InProcessJournal live = InProcessJournal.open(dir, disk)) {
            for (int b = 0; b < 20; b++) {
                live.journal().submitEvents(live.batch("fs", b, BATCH));
                acknowledged.add(b);
            }
            disk.failForce(true);
            observed.check(refused(live, 20), "the batch whose fsync failed was refused (not acknowledged)");
            observed.check(refused(live, 21), "a batch while fsync still fails was refused");
            observed.check(live.interactions(FaultBatches.user("fs", 21, 0)) < 1, "the second refused batch was not applied");
            disk.failForce(false);
            int resumed = 0;
            for (int b = 22; b < 25; b++) {
                if (!refused(live, b)) {
                    acknowledged.add(b);
                    resumed++;
                }
            }
            observed.check(resumed == 3, resumed + " of 3 batches acknowledged once fsync worked again, without a reopen");
        }
        try (InProcessJournal reopened = InProcessJournal.open(dir, disk)) {
            int present = reopened.presentOnce("fs", acknowledged, BATCH);
            observed.check(present == acknowledged.size(), "after a reopen " + present + " of " + acknowledged.size()
                    + " acknowledged batches are there once");
            observed.check(reopened.presentOnce("fs", List.of(20), BATCH) == 1,
                    "the batch refused at fsync (applied before the fsync) was rewritten from memory: there once");
            observed.check(reopened.interactions(FaultBatches.user("fs", 21, 0)) < 0, "the batch refused before it was written is not");
        }
    }

    private static boolean refused(InProcessJournal journal, int b) {
        try {
            journal.journal().submitEvents(journal.batch("fs", b, BATCH));
            return false;
        } catch (IOException expected) {
            return true;
        }
    }
}
