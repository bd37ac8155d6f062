package dev.feedserver.server.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.ContentFormat;
import dev.feedserver.generation.orchestration.JobState;
import dev.feedserver.generation.orchestration.StageState;
import dev.feedserver.generation.scheduler.ModelScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jobs service: persistence, idempotency, resume after a restart, publishing, bounds. */
class GenerationJobsTest {

    @TempDir
    Path dir;

    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, String> published = new ConcurrentHashMap<>();
    private final AtomicInteger textCalls = new AtomicInteger();
    private ModelScheduler scheduler;

    @AfterEach
    void close() throws InterruptedException {
        if (scheduler != null) {
            scheduler.close();
        }
        callbacks.shutdown(); // lets the callbacks of tasks the close failed save their jobs before the directory goes
        assertTrue(callbacks.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    private GenerationJobs service(boolean run, int maxActive) throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        scheduler = TestGeneration.scheduler(run);
        CataloguePublisher publisher = job -> {
            published.put(job.id(), job.stage("title").output().text());
            return JournalPublisher.itemId(job.id());
        };
        return TestGeneration.jobs(dir, scheduler, callbacks, publisher, maxActive, textCalls);
    }

    private static StoredJob await(GenerationJobs jobs, String id, boolean publishedToo) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            StoredJob job = jobs.get(id);
            if (job.job().state().isFinal() && (!publishedToo || job.itemId() != null)) {
                return job;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("job " + id + " did not finish: " + jobs.get(id).job().state());
    }

    @Test
    void aJobRunsIsSavedAndBecomesACatalogueItem() throws Exception {
        GenerationJobs jobs = service(true, 4);
        GenerationJobs.Submitted submitted = jobs.submit(Brief.of("garden", ContentFormat.STORY, List.of()), 0, null);
        assertFalse(submitted.duplicate());
        StoredJob done = await(jobs, submitted.job().job().id(), true);
        assertEquals(JobState.SUCCEEDED, done.job().state(), String.valueOf(done.job().error()));
        assertEquals("gen-" + done.job().id(), done.itemId());
        assertEquals(done.job().stage("title").output().text(), published.get(done.job().id()));
        assertTrue(Files.isRegularFile(dir.resolve(done.job().id()).resolve("cover.png")));
        assertEquals(1, jobs.counters().succeededTotal());
        assertEquals(20, jobs.counters().modelTokensOut(), "two text stages of 10 tokens out");

        StoredJob reloaded = new JobStore(dir).loadAll().getFirst();
        assertEquals(done.job(), reloaded.job(), "the record on disk is the job, field for field");
        assertEquals(done.itemId(), reloaded.itemId());
    }

    @Test
    void theSameIdempotencyKeyAnswersTheSameJobAndADifferentBriefConflicts() throws Exception {
        GenerationJobs jobs = service(true, 4);
        Brief brief = Brief.of("garden", ContentFormat.STORY, List.of());
        GenerationJobs.Submitted first = jobs.submit(brief, 0, "key-1");
        GenerationJobs.Submitted again = jobs.submit(brief, 0, "key-1");
        assertTrue(again.duplicate());
        assertEquals(first.job().job().id(), again.job().job().id());
        GenerationJobs.Refused conflict = assertThrows(GenerationJobs.Refused.class,
                () -> jobs.submit(Brief.of("ocean", ContentFormat.STORY, List.of()), 0, "key-1"));
        assertTrue(conflict.conflict());
        await(jobs, first.job().job().id(), true);
        assertEquals(1, published.size(), "one job, one item");

        GenerationJobs restarted = service(true, 4);
        restarted.resume();
        assertTrue(restarted.submit(brief, 0, "key-1").duplicate(), "keys survive a restart with their jobs");
    }

    @Test
    void aQueuedJobIsResumedAfterARestart() throws Exception {
        GenerationJobs stalled = service(false, 4); // the scheduler never starts: the job stays queued on disk
        String id = stalled.submit(Brief.of("garden", ContentFormat.STORY, List.of()), 0, null).job().job().id();
        assertFalse(stalled.get(id).job().state().isFinal());
        assertEquals(0, textCalls.get());
        stalled.close(); // as at shutdown: the jobs stop saving before their scheduler closes

        GenerationJobs restarted = service(true, 4);
        restarted.resume();
        StoredJob done = await(restarted, id, true);
        assertEquals(JobState.SUCCEEDED, done.job().state(), String.valueOf(done.job().error()));
        assertEquals(id, done.job().id());
        assertNotNull(published.get(id));
    }

    @Test
    void cancellingAQueuedJobEndsIt() throws Exception {
        GenerationJobs jobs = service(false, 4);
        String id = jobs.submit(Brief.of("garden", ContentFormat.STORY, List.of()), 0, null).job().job().id();
        GenerationJobs.Cancelled outcome = jobs.cancel(id);
        assertTrue(outcome.cancelled());
        StoredJob cancelled = outcome.job();
        assertEquals(JobState.CANCELLED, cancelled.job().state());
        assertFalse(jobs.cancel(id).cancelled(), "a second cancel changes nothing (the handler answers 409)");
        assertEquals(StageState.CANCELLED, cancelled.job().stage("premise").state());
        assertEquals(0, jobs.active());
        assertEquals(JobState.CANCELLED, new JobStore(dir).loadAll().getFirst().job().state(), "saved as cancelled");
    }

    @Test
    void finishedJobsPastTheRetentionAreDeletedAtStart() throws Exception {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());
        scheduler = TestGeneration.scheduler(true);
        GenerationJobs jobs = TestGeneration.jobs(dir, scheduler, callbacks, job -> "item", 4, textCalls, clock::get);
        String old = jobs.submit(Brief.of("garden", ContentFormat.STORY, List.of()), 0, "old-key").job().job().id();
        await(jobs, old, true);
        clock.addAndGet(java.time.Duration.ofDays(31).toMillis());
        String recent = jobs.submit(Brief.of("ocean", ContentFormat.STORY, List.of()), 0, null).job().job().id();
        await(jobs, recent, true);

        GenerationJobs restarted = TestGeneration.jobs(dir, scheduler, callbacks, job -> "item", 4, textCalls, clock::get);
        restarted.resume();
        assertEquals(null, restarted.get(old), "31 days after it ended, the job is gone");
        assertFalse(Files.exists(dir.resolve(old)), "with its directory");
        assertEquals(JobState.SUCCEEDED, restarted.get(recent).job().state());
        assertFalse(restarted.submit(Brief.of("space", ContentFormat.STORY, List.of()), 0, "old-key").duplicate(),
                "its idempotency key went with it");
    }

    @Test
    void concurrentSubmitsNeverPassTheBound() throws Exception {
        GenerationJobs jobs = service(false, 3);
        List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 16; i++) {
                Brief brief = Brief.of("topic " + i, ContentFormat.STORY, List.of());
                results.add(clients.submit(() -> {
                    try {
                        jobs.submit(brief, 0, null);
                        return true;
                    } catch (GenerationJobs.Refused e) {
                        return false;
                    }
                }));
            }
            int accepted = 0;
            for (var result : results) {
                accepted += result.get() ? 1 : 0;
            }
            assertEquals(3, accepted);
            assertEquals(3, jobs.active());
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void tooManyUnfinishedJobsAreRefused() throws Exception {
        GenerationJobs jobs = service(false, 2);
        jobs.submit(Brief.of("garden", ContentFormat.STORY, List.of()), 0, null);
        jobs.submit(Brief.of("ocean", ContentFormat.STORY, List.of()), 0, null);
        GenerationJobs.Refused busy = assertThrows(GenerationJobs.Refused.class,
                () -> jobs.submit(Brief.of("space", ContentFormat.STORY, List.of()), 0, null));
        assertFalse(busy.conflict());
    }

    @Test
    void anUnreadableRecordIsSkippedNotFatal() throws Exception {
        Files.createDirectories(dir.resolve("broken-job"));
        Files.writeString(dir.resolve("broken-job").resolve("job.json"), "{not json");
        GenerationJobs jobs = service(true, 4);
        jobs.resume();
        String id = jobs.submit(Brief.of("garden", ContentFormat.STORY, List.of()), 0, null).job().job().id();
        assertEquals(JobState.SUCCEEDED, await(jobs, id, false).job().state());
    }
}
