package dev.feedserver.ranking.rank;

import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Learns the serving model's {@link HeadCalibration} online from what it served and what users
 * did next. The feed pipeline {@link #recordImpressions records} each returned item's raw head
 * logits per user ({@link ImpressionStore}, bounded); when an event for (user, item) is applied
 * ({@link #applied}, on the applying thread) the impression is taken and becomes one labelled
 * example ({@link #labelsOf}); an impression that expires unjoined becomes an all-negative one.
 * Every {@code holdoutEvery}-th example goes to the holdout, the others train the guarded
 * {@link CalibrationLearner}, whose published calibration {@link #calibration} serves.
 *
 * <p>Label mapping (one event per impression: the first that labels it; later ones for the same
 * impression find nothing to join): CLICK = click; LIKE, SHARE = click + like; DWELL at least
 * the significant dwell = click + long_dwell; SKIP, HIDE = negative (and no click); VIEW and a
 * short DWELL label nothing and leave the impression open; expiry = no head positive.
 *
 * <p>Threading: thread-safe. {@link #calibration} is one volatile read without allocation;
 * recording takes one impression-store stripe lock; learning takes this object's lock (a few
 * dozen flops per example; a holdout comparison every {@code evaluateEvery} steps scans the
 * holdout). Lifecycle: one per server; {@link #reset} starts over at the identity for a new
 * model version ({@link RankerRegistry#swap} calls it). Lifetime counters survive resets.
 */
public final class OnlineCalibrator implements InteractionListener {
    private static final int HEADS = Objective.COUNT;

    /** What requests read: the version and its calibration, swapped as one. */
    private record Published(String version, HeadCalibration calibration) {
    }

    private final OnlineCalibrationConfig config;
    private volatile Published published = new Published(null, HeadCalibration.IDENTITY);
    // Per version, replaced together by reset() under this lock.
    private CalibrationLearner learner;
    private volatile ImpressionStore impressions;
    private long labelled;
    private long versionImpressions;
    private long versionJoined;
    private long versionExpired;
    private final ThreadLocal<float[]> joinBuffer = ThreadLocal.withInitial(() -> new float[HEADS]);
    private final AtomicLong joinedTotal = new AtomicLong();
    private final AtomicLong expiredTotal = new AtomicLong();
    private final AtomicLong rollbacksTotal = new AtomicLong();
    private final AtomicLong publishesTotal = new AtomicLong();

    public OnlineCalibrator(OnlineCalibrationConfig config) {
        this.config = config;
        reset(null);
    }

    /** A calibrator that always serves the identity and records nothing. */
    public static OnlineCalibrator disabled() {
        return new OnlineCalibrator(OnlineCalibrationConfig.DEFAULT.withEnabled(false));
    }

    public OnlineCalibrationConfig config() {
        return config;
    }

    /**
     * The calibration to apply to the logits of model {@code version}: the published one when it
     * belongs to that version, else the identity (a request still on a replaced model).
     */
    public HeadCalibration calibration(String version) {
        Published p = published;
        return p.version() != null && p.version().equals(version) ? p.calibration() : HeadCalibration.IDENTITY;
    }

    /** Starts over for model {@code version} (null: none serves): identity, no impressions, an empty holdout. */
    public synchronized void reset(String version) {
        learner = new CalibrationLearner(config);
        impressions = new ImpressionStore(config.impressionsPerUser(), config.maxUsers(), this::expired);
        labelled = 0;
        versionImpressions = 0;
        versionJoined = 0;
        versionExpired = 0;
        published = new Published(version, HeadCalibration.IDENTITY);
    }

    /**
     * Records that model {@code version} showed {@code userId} the {@code n} {@code items}, item
     * {@code i} with raw head logits {@code logits[i * 4 .. i * 4 + 4)}. Ignored when disabled or
     * when {@code version} is no longer the one being calibrated.
     */
    public void recordImpressions(String version, String userId, int[] items, float[] logits, int n) {
        if (!config.enabled() || n == 0 || !version.equals(published.version())) {
            return;
        }
        impressions.record(userId, items, logits, n);
        synchronized (this) {
            versionImpressions += n;
        }
    }

    /** Joins an applied event with its impression, if any; cheap when there is none. */
    @Override
    public void applied(Interaction event, int item, float weight) {
        if (!config.enabled()) {
            return;
        }
        int labels = labelsOf(event.type(), weight);
        if (labels < 0) {
            return;
        }
        float[] logits = joinBuffer.get();
        if (!impressions.take(event.userId(), item, logits)) {
            return;
        }
        joinedTotal.incrementAndGet();
        synchronized (this) {
            versionJoined++;
            learn(logits, 0, labels);
        }
    }

    /** An impression that left the store unjoined: a negative for every head. Called under a stripe lock. */
    private void expired(float[] logits, int offset) {
        expiredTotal.incrementAndGet();
        synchronized (this) {
            versionExpired++;
            learn(logits, offset, 0);
        }
    }

    /** Routes one labelled example to the holdout or to training. Caller holds this lock. */
    private void learn(float[] logits, int offset, int labels) {
        labelled++;
        if (labelled % config.holdoutEvery() == 0) {
            learner.holdout(logits, offset, labels);
            return;
        }
        long rollbacksBefore = learner.rollbacks();
        long publishesBefore = learner.publishes();
        boolean changed = learner.train(logits, offset, labels);
        rollbacksTotal.addAndGet(learner.rollbacks() - rollbacksBefore);
        publishesTotal.addAndGet(learner.publishes() - publishesBefore);
        if (changed) {
            published = new Published(published.version(), learner.published());
        }
    }

    /**
     * The label bits ({@link Objective#bit}) an event gives its impression, or -1 when it labels
     * nothing (a view, a dwell shorter than significant: {@code weight == 0}).
     */
    public static int labelsOf(EventType type, float weight) {
        return switch (type) {
            case CLICK -> Objective.CLICK.bit();
            case LIKE, SHARE -> Objective.CLICK.bit() | Objective.LIKE.bit();
            case DWELL -> weight > 0f ? Objective.CLICK.bit() | Objective.LONG_DWELL.bit() : -1;
            case SKIP, HIDE -> Objective.NEGATIVE.bit();
            case VIEW -> -1;
        };
    }

    /** Examples joined since start (all versions). */
    public long joinedTotal() {
        return joinedTotal.get();
    }

    /** Impressions expired unjoined since start. */
    public long expiredTotal() {
        return expiredTotal.get();
    }

    /** Head candidates rolled back since start. */
    public long rollbacksTotal() {
        return rollbacksTotal.get();
    }

    /** Head candidates published since start. */
    public long publishesTotal() {
        return publishesTotal.get();
    }

    /** A consistent snapshot of the current version's state. */
    public synchronized CalibrationState state() {
        return new CalibrationState(published.version(), config.enabled(), versionImpressions, versionJoined, versionExpired,
                learner.holdoutCount(), learner.steps(), learner.evaluations(), learner.heads());
    }
}
