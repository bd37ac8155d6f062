package dev.feedserver.generation.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-step executor: declared inputs only, bounded retries, parallel stages, cancellation, resume. */
class PlanExecutorTest {

    @TempDir
    Path dir;

    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private ModelScheduler scheduler;

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        callbacks.shutdownNow();
    }

    private PlanExecutor executor(FakeStages.Calls calls, FakeStages.TextScript script, int concurrency) {
        scheduler = new ModelScheduler(FakeStages.registry(concurrency), SchedulerConfig.defaults());
        scheduler.start();
        List<StageRunner> runners = List.of(FakeStages.text(calls, script), FakeStages.title(calls),
                FakeStages.media(calls, StageKind.IMAGE, OutputFormat.PNG, FakeStages.PNG),
                FakeStages.media(calls, StageKind.SPEECH, OutputFormat.WAV, FakeStages.WAV),
                FakeStages.media(calls, StageKind.VIDEO, OutputFormat.MP4, FakeStages.MP4));
        return new PlanExecutor(scheduler, runners, callbacks, System::currentTimeMillis);
    }

    private static JobSnapshot job(Brief brief) {
        return JobSnapshot.queued("job-1", brief, new BriefPlanner(FakeStages.MODELS).plan(brief), 0, 7, 1000);
    }

    @Test
    void everyStageRunsOnItsDeclaredInputsAndTheJobSucceeds() throws Exception {
        FakeStages.Calls calls = new FakeStages.Calls();
        List<JobSnapshot> changes = new CopyOnWriteArrayList<>();
        RunningJob running = executor(calls, (call, context) -> FakeStages.goodText(call), 1)
                .start(job(Brief.of("ocean", ContentFormat.VIDEO, List.of("fish"))), dir, changes::add);
        JobSnapshot done = running.done().get(30, TimeUnit.SECONDS);

        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(List.of(), calls.of("premise").getFirst().inputs().keySet().stream().toList());
        assertEquals(List.of("premise"), List.copyOf(calls.of("story").getFirst().inputs().keySet()));
        assertEquals(List.of("premise"), List.copyOf(calls.of("title").getFirst().inputs().keySet()));
        assertEquals(List.of("title"), List.copyOf(calls.of("cover").getFirst().inputs().keySet()));
        assertEquals(List.of("story"), List.copyOf(calls.of("narration").getFirst().inputs().keySet()));
        assertEquals(List.of("cover", "narration"), List.copyOf(calls.of("video").getFirst().inputs().keySet()));
        for (StageProgress stage : done.stages()) {
            assertEquals(StageState.SUCCEEDED, stage.state(), stage.id());
            assertEquals(1, stage.attempts().size(), stage.id());
            assertNotNull(stage.output(), stage.id());
        }
        assertTrue(Files.size(dir.resolve(done.stage("video").output().file())) > 0);
        assertEquals(done.stage("title").output().text().split(" ")[0], PremiseOpening.name(done.brief()));
        assertEquals(new TokenCount(20, 40, 16, 32), done.tokens(), "two text stages of 10 in, 20 out each");
        assertEquals(JobState.SUCCEEDED, changes.getLast().state(), "the listener saw the final state last");
        assertTrue(done.finishedMillis() > 0);
    }

    @Test
    void aViolationIsRetriedWithTheViolationStatedThenFailsClearly() throws Exception {
        FakeStages.Calls calls = new FakeStages.Calls();
        FakeStages.TextScript script = (call, context) -> call.stage().id().equals("story")
                ? call.inputText() + " The blood was red and they had fun in the park all day long with a ball.".repeat(3) : FakeStages.goodText(call);
        RunningJob running = executor(calls, script, 1)
                .start(job(Brief.of("ocean", ContentFormat.VIDEO, List.of("fish"))), dir, snapshot -> { });
        JobSnapshot done = running.done().get(30, TimeUnit.SECONDS);

        assertEquals(JobState.FAILED, done.state());
        StageProgress story = done.stage("story");
        assertEquals(StageState.FAILED, story.state());
        assertEquals(3, story.attempts().size(), "the story stage has three attempts");
        assertEquals(List.of(), calls.of("story").get(0).previousViolations());
        for (int attempt = 1; attempt < 3; attempt++) {
            StageCall retry = calls.of("story").get(attempt);
            assertEquals(attempt + 1, retry.attempt());
            assertTrue(retry.violated(Violation.BANNED_WORD), "the retry is told what was wrong");
            assertTrue(retry.previousViolations().stream().anyMatch(v -> v.word().equals("blood")),
                    retry.previousViolations().toString());
        }
        assertTrue(done.error().contains("story") && done.error().contains("banned word 'blood'"), done.error());
        assertEquals(StageState.SKIPPED, done.stage("narration").state());
        assertEquals(StageState.SKIPPED, done.stage("video").state());
        assertEquals(StageState.SUCCEEDED, done.stage("cover").state(), "an independent branch still finishes");
        assertEquals(new TokenCount(40, 80, 32, 64), done.tokens(), "every attempt's tokens are counted");
    }

    @Test
    void aRetryThatFixesTheOutputSucceeds() throws Exception {
        FakeStages.Calls calls = new FakeStages.Calls();
        FakeStages.TextScript script = (call, context) -> call.stage().id().equals("story") && call.attempt() == 1
                ? call.inputText() + " The end." : FakeStages.goodText(call);
        JobSnapshot done = executor(calls, script, 1)
                .start(job(Brief.of("ocean", ContentFormat.STORY, List.of())), dir, s -> { }).done().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(2, done.stage("story").attempts().size());
        assertEquals(Violation.TOO_SHORT, done.stage("story").attempts().getFirst().violations().getFirst().rule());
        assertTrue(calls.of("story").get(1).violated(Violation.TOO_SHORT));
    }

    @Test
    void aLaterRetryIsStillToldWhatAnEarlierAttemptBroke() throws Exception {
        FakeStages.Calls calls = new FakeStages.Calls();
        FakeStages.TextScript script = (call, context) -> {
            if (!call.stage().id().equals("story")) {
                return FakeStages.goodText(call);
            }
            return switch (call.attempt()) {
                case 1 -> call.inputText() + " They ran to the park and had fun in the sun all day long.".repeat(4);
                case 2 -> call.inputText() + " The boat went away.";
                default -> FakeStages.goodText(call) + " The boat sailed home.";
            };
        };
        JobSnapshot done = executor(calls, script, 1).start(job(Brief.of("ocean", ContentFormat.STORY, List.of("fish", "boat"))),
                dir, s -> { }).done().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        StageCall third = calls.of("story").get(2);
        assertTrue(third.violated(Violation.MISSING_KEYWORD), "attempt 1's violation: " + third.previousViolations());
        assertTrue(third.violated(Violation.TOO_SHORT), "attempt 2's violation: " + third.previousViolations());
    }

    @Test
    void independentStagesRunWhileTheStoryIsStillRunning() throws Exception {
        FakeStages.Calls calls = new FakeStages.Calls();
        CountDownLatch coverDone = new CountDownLatch(1);
        List<StageRunner> runners = new ArrayList<>();
        FakeStages.TextScript script = (call, context) -> {
            if (call.stage().id().equals("story")) {
                assertTrue(coverDone.await(20, TimeUnit.SECONDS), "the cover was made while the story ran");
            }
            return FakeStages.goodText(call);
        };
        scheduler = new ModelScheduler(FakeStages.registry(2), SchedulerConfig.defaults());
        scheduler.start();
        runners.add(FakeStages.text(calls, script));
        runners.add(FakeStages.title(calls));
        StageRunner image = FakeStages.media(calls, StageKind.IMAGE, OutputFormat.PNG, FakeStages.PNG);
        runners.add(new StageRunner() {
            @Override
            public StageKind kind() {
                return StageKind.IMAGE;
            }

            @Override
            public StageResult run(StageCall call, dev.feedserver.generation.registry.LoadedModel model,
                                   dev.feedserver.generation.scheduler.TaskContext context) throws Exception {
                StageResult result = image.run(call, model, context);
                coverDone.countDown();
                return result;
            }
        });
        PlanExecutor executor = new PlanExecutor(scheduler, runners, callbacks, System::currentTimeMillis);
        JobSnapshot done = executor.start(job(Brief.of("ocean", ContentFormat.STORY, List.of())), dir, s -> { })
                .done().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
    }

    @Test
    void cancellingStopsTheRunningStageAndFinalisesTheJob() throws Exception {
        FakeStages.Calls calls = new FakeStages.Calls();
        CountDownLatch storyStarted = new CountDownLatch(1);
        CountDownLatch storySawCancel = new CountDownLatch(1);
        FakeStages.TextScript script = (call, context) -> {
            if (call.stage().id().equals("story")) {
                storyStarted.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!context.cancelled() && !Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                storySawCancel.countDown();
                context.checkCancelled();
            }
            return FakeStages.goodText(call);
        };
        RunningJob running = executor(calls, script, 1)
                .start(job(Brief.of("ocean", ContentFormat.VIDEO, List.of())), dir, s -> { });
        assertTrue(storyStarted.await(20, TimeUnit.SECONDS));
        JobSnapshot cancelled = running.cancel();
        assertEquals(JobState.CANCELLED, cancelled.state());
        assertTrue(storySawCancel.await(20, TimeUnit.SECONDS), "the running story saw the cancellation");
        assertEquals(StageState.CANCELLED, cancelled.stage("story").state());
        assertEquals(StageState.CANCELLED, cancelled.stage("video").state());
        assertEquals(StageState.SUCCEEDED, cancelled.stage("premise").state());
        assertTrue(running.done().isDone());
        assertEquals(JobState.CANCELLED, running.cancel().state(), "cancelling twice changes nothing");
    }

    @Test
    void aResumedJobKeepsItsFinishedStages() throws Exception {
        FakeStages.Calls first = new FakeStages.Calls();
        CountDownLatch hold = new CountDownLatch(1);
        FakeStages.TextScript blockStory = (call, context) -> {
            if (call.stage().id().equals("story")) {
                hold.await(20, TimeUnit.SECONDS);
                context.checkCancelled();
            }
            return FakeStages.goodText(call);
        };
        List<JobSnapshot> persisted = new CopyOnWriteArrayList<>();
        RunningJob running = executor(first, blockStory, 1)
                .start(job(Brief.of("ocean", ContentFormat.STORY, List.of())), dir, persisted::add);
        while (running.snapshot().stage("premise").state() != StageState.SUCCEEDED) {
            Thread.sleep(5);
        }
        JobSnapshot beforeCrash = running.snapshot();
        running.cancel(); // stands in for the process dying: the snapshot on disk is what counts
        hold.countDown();
        scheduler.close();

        FakeStages.Calls second = new FakeStages.Calls();
        JobSnapshot resumed = beforeCrash.forResume();
        assertEquals(JobState.QUEUED, resumed.state());
        JobSnapshot done = executor(second, (call, context) -> FakeStages.goodText(call), 1)
                .start(resumed, dir, s -> { }).done().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertFalse(second.byStage.containsKey("premise"), "the premise was not generated again");
        assertEquals(beforeCrash.stage("premise").output(), done.stage("premise").output());
        assertEquals(1, second.of("story").size());
    }

    @Test
    void aStageWhoseModelIsNotRegisteredFailsTheJobInsteadOfHangingIt() throws Exception {
        FakeStages.Calls calls = new FakeStages.Calls();
        PlanExecutor executor = executor(calls, (call, context) -> FakeStages.goodText(call), 1);
        Brief brief = Brief.of("ocean", ContentFormat.STORY, List.of());
        StageModels gone = new StageModels(FakeStages.MODELS.text(), FakeStages.MODELS.speech(), "no-such-model",
                FakeStages.MODELS.video());
        JobSnapshot done = executor.start(JobSnapshot.queued("j", brief, new BriefPlanner(gone).plan(brief), 0, 7, 0), dir,
                s -> { }).done().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.FAILED, done.state());
        assertEquals(StageState.FAILED, done.stage("cover").state());
        assertTrue(done.stage("cover").error().contains("could not be started"), done.stage("cover").error());
        assertEquals(StageState.SUCCEEDED, done.stage("story").state(), "the other branch finished");
    }

    @Test
    void aFailingListenerDoesNotStopTheJob() throws Exception {
        JobSnapshot done = executor(new FakeStages.Calls(), (call, context) -> FakeStages.goodText(call), 1)
                .start(job(Brief.of("ocean", ContentFormat.STORY, List.of())), dir, s -> {
                    throw new IllegalStateException("disk on fire");
                }).done().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, done.state());
    }

    @Test
    void resumingKeepsStagesThatFailedForGood() {
        Brief brief = Brief.of("ocean", ContentFormat.STORY, List.of());
        JobSnapshot job = job(brief);
        List<StageProgress> stages = new ArrayList<>(job.stages());
        stages.set(3, stages.get(3).plus(new AttemptRecord(1, 0, TokenCount.ZERO, List.of(), "boom"))
                .with(StageState.FAILED, "stage cover failed"));
        stages.set(1, stages.get(1).with(StageState.RUNNING, null));
        JobSnapshot crashed = new JobSnapshot(job.id(), brief, job.plan(), 0, 7, JobState.RUNNING, stages, null, 0, 0);
        JobSnapshot resumed = crashed.forResume();
        assertEquals(StageState.FAILED, resumed.stage("cover").state(), "no attempt beyond the limit");
        assertEquals(StageState.PENDING, resumed.stage("story").state());
        assertEquals(JobState.QUEUED, resumed.state());
    }

    @Test
    void aSpentTokenBudgetFailsTheStageWithoutRetrying() throws Exception {
        FakeStages.Calls calls = new FakeStages.Calls();
        FakeStages.TextScript script = (call, context) -> {
            if (call.tokenAllowance() < 30) {
                throw new StageException("the job's token budget is spent (" + call.tokenAllowance() + " left)");
            }
            return FakeStages.goodText(call);
        };
        Brief brief = new Brief("ocean", List.of(), ContentFormat.STORY, Audience.CHILDREN, List.of(), List.of(), 10,
                100, 32, -1);
        JobSnapshot done = executor(calls, script, 1).start(job(brief), dir, s -> { }).done().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.FAILED, done.state());
        assertEquals(1, done.stage("story").attempts().size(), "no retry of a budget failure");
        assertTrue(done.error().contains("token budget"), done.error());
        assertEquals(12, calls.of("story").getFirst().tokenAllowance(), "32 budget - 20 generated by the premise");
    }
}
