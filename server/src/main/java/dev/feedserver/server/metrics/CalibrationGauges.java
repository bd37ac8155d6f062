package dev.feedserver.server.metrics;

import dev.feedserver.ranking.rank.CalibrationState;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.OnlineCalibrator;

/**
 * Registers the online ranker calibration's gauges: lifetime counters
 * ({@code feedserver_ranker_online_examples_total}, {@code _expired_total}, {@code _rollbacks_total},
 * {@code _publishes_total}) and, per head, the published {@code a} and {@code b} and the accepted
 * holdout log loss, scaled by 1000 (gauges are integers), e.g.
 * {@code feedserver_ranker_calibration_a_milli_click}. Stateless; the gauges read the calibrator
 * at scrape time (each per-head gauge takes its lock once).
 */
public final class CalibrationGauges {
    private CalibrationGauges() {
    }

    public static void register(Metrics metrics, OnlineCalibrator calibrator) {
        metrics.gauge("feedserver_ranker_online_examples_total", calibrator::joinedTotal);
        metrics.gauge("feedserver_ranker_online_expired_total", calibrator::expiredTotal);
        metrics.gauge("feedserver_ranker_online_rollbacks_total", calibrator::rollbacksTotal);
        metrics.gauge("feedserver_ranker_online_publishes_total", calibrator::publishesTotal);
        for (Objective objective : Objective.values()) {
            int h = objective.ordinal();
            String head = objective.wireName();
            metrics.gauge("feedserver_ranker_calibration_a_milli_" + head, () -> milli(calibrator.state().heads().get(h).a()));
            metrics.gauge("feedserver_ranker_calibration_b_milli_" + head, () -> milli(calibrator.state().heads().get(h).b()));
            metrics.gauge("feedserver_ranker_calibration_holdout_loss_milli_" + head, () -> {
                CalibrationState.Head s = calibrator.state().heads().get(h);
                return Double.isNaN(s.acceptedLoss()) ? -1 : milli(s.acceptedLoss());
            });
        }
    }

    private static long milli(double v) {
        return Math.round(v * 1000);
    }
}
