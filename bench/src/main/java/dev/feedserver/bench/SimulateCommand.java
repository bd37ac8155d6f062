package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.sim.AdaptationSimulator;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./feedserver simulate}: runs the {@link AdaptationSimulator} (users whose interests
 * shift, real-time updates against periodic batch retraining) and writes
 * {@code adaptation.json} and {@code adaptation.png} (new-topic share of the top 20 against
 * clicks made). Single run; progress on stderr.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Interest-shift simulator: clicks until half the top 20 follows a new interest, real-time updates vs batch retraining.")
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for adaptation.json and the plot (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--users", defaultValue = "2000", description = "Users in the synthetic world (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "3000", description = "Items in the synthetic world (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--topics", defaultValue = "16", description = "Topics (default ${DEFAULT-VALUE}).")
    int topics;

    @Option(names = "--simulated-users", defaultValue = "200", description = "Users whose interest shifts (default ${DEFAULT-VALUE}).")
    int simulatedUsers;

    @Option(names = "--sessions", defaultValue = "30", description = "Sessions per user before giving up (default ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--retrain-every", defaultValue = "10", description = "Sessions between batch retrains in the batch mode (default ${DEFAULT-VALUE}).")
    int retrainEvery;

    @Option(names = "--click-new", defaultValue = "0.5", description = "Probability of clicking a new-topic item on sight (default ${DEFAULT-VALUE}).")
    double clickNew;

    @Option(names = "--click-other", split = ",", defaultValue = "0,0.002,0.01",
            description = "Probabilities of clicking any other item on sight (the behaviour's noise), one run each (default ${DEFAULT-VALUE}).")
    List<Double> clickOthers;

    @Option(names = "--session-weight", defaultValue = "1.0", description = "Short-term interest weight of the real-time mode (as serve; default ${DEFAULT-VALUE}).")
    float sessionWeight;

    @Option(names = "--drift-rate", defaultValue = "0.10", description = "Drift per significant event in the real-time mode (as serve; default ${DEFAULT-VALUE}).")
    float driftRate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of world and behaviour (default ${DEFAULT-VALUE}).")
    long seed;


    @Override
    public Integer call() {
        Map<String, Metric> metrics = new LinkedHashMap<>();
        ObjectNode details = Json.object();
        details.put("users", users).put("items", items).put("topics", topics).put("simulated_users", simulatedUsers)
                .put("sessions", sessions).put("retrain_every_sessions", retrainEvery).put("click_new", clickNew)
                .put("seed", seed).put("session_weight", sessionWeight).put("drift_rate", driftRate)
                .put("protocol", "Each simulated user switches to the topic it clicked least in its history. Each session it "
                        + "first looks at its top 20 (the new-topic share is measured there), then at its feed down to 200 items, "
                        + "and clicks the first item it likes: a new-topic item with probability click_new, any other with "
                        + "click_other. REALTIME applies each click at once (drift and short-term interest); BATCH updates only "
                        + "the consumed filter and counters live and retrains ALS on the full history every retrain_every sessions.");
        ArrayNode runs = details.putArray("runs");
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (double clickOther : clickOthers) {
            AdaptationSimulator.Config config = new AdaptationSimulator.Config(
                    new SyntheticWorldSpec(seed, users, items, topics, 40), new AlsConfig(32, 12, 0.1f, 5f, seed),
                    dev.feedserver.ranking.feed.FeedConfig.DEFAULT.withSessionWeight(sessionWeight), new dev.feedserver.ranking.learning.LearningConfig(driftRate,
                            dev.feedserver.ranking.learning.LearningConfig.DEFAULT.significantDwellMillis()), simulatedUsers,
                    sessions, retrainEvery, clickNew, clickOther, seed);
            String noise = String.format(Locale.ROOT, "noise%s", Double.toString(clickOther).replace('.', '_'));
            for (AdaptationSimulator.Outcome outcome : AdaptationSimulator.run(config, line -> System.err.println("simulate: " + line))) {
                String mode = outcome.mode().name().toLowerCase(Locale.ROOT);
                metrics.put("median_clicks_to_half_" + mode + "_" + noise, new Metric(outcome.medianClicksToHalf(), "clicks (-1 = not reached)"));
                metrics.put("share_within_5_clicks_" + mode + "_" + noise, new Metric(outcome.shareWithin(5), "fraction of users"));
                ObjectNode node = runs.addObject().put("mode", mode).put("click_other", clickOther)
                        .put("median_clicks_to_half", outcome.medianClicksToHalf())
                        .put("share_within_5_clicks", outcome.shareWithin(5))
                        .put("share_within_" + sessions + "_clicks", outcome.shareWithin(sessions)).put("retrains", outcome.retrains())
                        .put("new_topic_clicks", outcome.newTopicClicks()).put("other_clicks", outcome.otherClicks())
                        .put("millis", outcome.millis());
                ArrayNode curve = node.putArray("mean_new_topic_share_by_clicks");
                List<double[]> points = new ArrayList<>();
                double[] shares = outcome.meanShareAfterClicks();
                for (int c = 0; c < shares.length; c++) {
                    curve.add(Double.isNaN(shares[c]) ? null : shares[c]);
                    if (!Double.isNaN(shares[c]) && c <= 20) {
                        points.add(new double[] {c, shares[c]});
                    }
                }
                curves.put(outcome.mode().name() + ", noise " + clickOther, points.toArray(double[][]::new));
                System.out.printf(Locale.ROOT, "noise %-6s %-8s median clicks to half the top 20 on the new topic: %s; within 5 clicks: %.0f%% of users; clicks new/other %d/%d; %d retrains; %.1f s%n",
                        clickOther, outcome.mode(), outcome.medianClicksToHalf() < 0 ? "not reached" : Integer.toString(outcome.medianClicksToHalf()),
                        100 * outcome.shareWithin(5), outcome.newTopicClicks(), outcome.otherClicks(), outcome.retrains(), outcome.millis() / 1e3);
            }
        }
        Path file = output.resolve("adaptation.json");
        ResultFile.write(file, "adaptation", "./feedserver simulate", metrics, details);
        Charts.lines(output.resolve("adaptation.png"), "Interest shift: new-topic share of the top 20 after each click (mean over users)",
                "clicks since the shift (any item)", "share of the top 20 on the new topic", curves, false);
        System.out.println("wrote " + file);
        return 0;
    }
}
