package dev.feedserver.server.generate;

import dev.feedserver.generation.orchestration.JobSnapshot;
import dev.feedserver.generation.orchestration.JobState;
import dev.feedserver.generation.orchestration.TokenCount;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Totals over finished generation jobs for {@code /metrics}: jobs by outcome, tokens in the
 * model's tokenizer and in cl100k, busy seconds and cost.
 *
 * <p>Threading: thread-safe (adders). Lifecycle: lives as long as the server.
 */
public final class GenerationCounters {

    private final GenerationPrice price;
    private final LongAdder submitted = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final AtomicLong modelIn = new AtomicLong();
    private final AtomicLong modelOut = new AtomicLong();
    private final AtomicLong cl100kIn = new AtomicLong();
    private final AtomicLong cl100kOut = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();

    public GenerationCounters(GenerationPrice price) {
        this.price = price;
    }

    public GenerationPrice price() {
        return price;
    }

    void submitted() {
        submitted.increment();
    }

    void published() {
        published.increment();
    }

    void publishFailed() {
        publishFailures.increment();
    }

    void finished(JobSnapshot job) {
        (job.state() == JobState.SUCCEEDED ? succeeded : job.state() == JobState.CANCELLED ? cancelled : failed).increment();
        TokenCount tokens = job.tokens();
        modelIn.addAndGet(tokens.modelIn());
        modelOut.addAndGet(tokens.modelOut());
        cl100kIn.addAndGet(tokens.cl100kIn());
        cl100kOut.addAndGet(tokens.cl100kOut());
        busyNanos.addAndGet(job.busyNanos());
    }

    public long submittedTotal() {
        return submitted.sum();
    }

    public long succeededTotal() {
        return succeeded.sum();
    }

    public long failedTotal() {
        return failed.sum();
    }

    public long cancelledTotal() {
        return cancelled.sum();
    }

    public long publishedTotal() {
        return published.sum();
    }

    public long publishFailuresTotal() {
        return publishFailures.sum();
    }

    public long modelTokensIn() {
        return modelIn.get();
    }

    public long modelTokensOut() {
        return modelOut.get();
    }

    public long cl100kTokensIn() {
        return cl100kIn.get();
    }

    public long cl100kTokensOut() {
        return cl100kOut.get();
    }

    public double busySeconds() {
        return busyNanos.get() / 1e9;
    }

    public double costUsd() {
        return price.cost(busyNanos.get());
    }
}
