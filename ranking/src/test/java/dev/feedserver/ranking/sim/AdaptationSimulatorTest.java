package dev.feedserver.ranking.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.train.AlsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A small run: real-time updates must follow a shifted interest faster than batch retraining. */
class AdaptationSimulatorTest {

    @Test
    void realTimeUpdatesFollowAShiftFasterThanBatchRetraining() {
        AdaptationSimulator.Config config = new AdaptationSimulator.Config(new SyntheticWorldSpec(3, 400, 800, 8, 25),
                new AlsConfig(16, 5, 0.1f, 5f, 3), FeedConfig.DEFAULT, LearningConfig.DEFAULT, 40, 12, 4, 0.5, 0.0, 3);
        List<AdaptationSimulator.Outcome> outcomes = AdaptationSimulator.run(config, line -> { });
        assertEquals(2, outcomes.size());
        AdaptationSimulator.Outcome realtime = outcomes.get(0);
        AdaptationSimulator.Outcome batch = outcomes.get(1);
        assertEquals(AdaptationSimulator.Mode.REALTIME, realtime.mode());
        assertEquals(0, realtime.retrains());
        assertTrue(batch.retrains() >= 2, "batch mode retrained " + batch.retrains() + " times");
        assertEquals(0.0, realtime.meanShareAfterClicks()[0], 0.2, "before any click the new topic is rare");
        assertTrue(realtime.shareWithin(5) > batch.shareWithin(5) + 0.2,
                "within 5 clicks: real-time " + realtime.shareWithin(5) + ", batch " + batch.shareWithin(5));
    }
}
