package dev.feedserver.ranking.supply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner's choice of clusters, its hourly budget and its validation, on hand-made snapshots. */
class SupplyPlannerTest {
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_000L * HOUR;

    /** Admits every cluster with exposure (quantile 0), wants 10 fresh items, 100 requests an hour, 10 a round. */
    private static final SupplyPolicy OPEN = new SupplyPolicy(100, 0.0, 0.0, 10, 10, Duration.ofDays(1),
            EngagementWindow.EIGHT_HOURS, 20);

    private static ClusterSupplySnapshot.Cluster cluster(int id, double rate, double exposures, int fresh) {
        return new ClusterSupplySnapshot.Cluster(id, rate, rate * exposures, exposures, fresh, 50 + fresh,
                List.of("tag" + id, "other"));
    }

    private static ClusterSupplySnapshot snapshot(List<ClusterSupplySnapshot.Cluster> clusters) {
        return new ClusterSupplySnapshot(T0, T0 - 24 * HOUR, 0.1, clusters);
    }

    /** {@code n} equally engaged clusters with no fresh items. */
    private static ClusterSupplySnapshot hungry(int n) {
        List<ClusterSupplySnapshot.Cluster> clusters = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            clusters.add(cluster(c, 0.2, 100, 0));
        }
        return snapshot(clusters);
    }

    @Test
    void filesForTheEngagedUnderSuppliedClusterOnly() {
        SupplyPolicy policy = new SupplyPolicy(100, 0.0, 0.5, 10, 10, Duration.ofDays(1), EngagementWindow.EIGHT_HOURS, 20);
        ClusterSupplySnapshot snapshot = snapshot(List.of(
                cluster(0, 0.30, 500, 2),    // engaged, two fresh items of ten: files
                cluster(1, 0.35, 500, 25),   // engaged but saturated
                cluster(2, 0.02, 500, 0),    // starved but nobody engages
                cluster(3, 0.05, 500, 1)));  // below the median rate
        List<SupplyRequest> requests = new SupplyPlanner(policy).plan(snapshot, Set.of(), T0);
        assertEquals(1, requests.size(), requests.toString());
        SupplyRequest request = requests.getFirst();
        assertEquals(0, request.clusterId());
        assertEquals(List.of("tag0", "other"), request.tags());
        assertEquals(2, request.freshItems());
        assertEquals(0.30 * (1 - 2 / 10.0), request.score(), 1e-12);
        assertTrue(request.reason().contains("2 fresh of 10"), request.reason());
    }

    @Test
    void ranksByEngagementTimesShortfallAndCapsEachRound() {
        ClusterSupplySnapshot snapshot = snapshot(List.of(
                cluster(0, 0.20, 100, 5),   // 0.10
                cluster(1, 0.20, 100, 0),   // 0.20
                cluster(2, 0.40, 100, 8),   // 0.08
                cluster(3, 0.15, 100, 0),   // 0.15
                cluster(4, 0.50, 0, 0)));   // no exposure: no evidence, never filed
        List<SupplyRequest> all = new SupplyPlanner(OPEN).plan(snapshot, Set.of(), T0);
        assertEquals(List.of(1, 3, 0, 2), all.stream().map(SupplyRequest::clusterId).toList());
        List<SupplyRequest> capped = new SupplyPlanner(OPEN.withMaxPerRound(2)).plan(snapshot, Set.of(), T0);
        assertEquals(List.of(1, 3), capped.stream().map(SupplyRequest::clusterId).toList());
    }

    @Test
    void equallyDullClustersDoNotPassTheQuantileByTies() {
        SupplyPolicy half = new SupplyPolicy(100, 0.0, 0.5, 10, 10, Duration.ofDays(1), EngagementWindow.EIGHT_HOURS, 20);
        List<ClusterSupplySnapshot.Cluster> clusters = new ArrayList<>();
        clusters.add(cluster(0, 0.30, 100, 0));
        for (int c = 1; c < 8; c++) {
            clusters.add(cluster(c, 0.05, 100, 0));
        }
        assertEquals(List.of(0), new SupplyPlanner(half).plan(snapshot(clusters), Set.of(), T0).stream()
                .map(SupplyRequest::clusterId).toList());
        // Four distinct rates: the better half is the top two.
        ClusterSupplySnapshot distinct = snapshot(List.of(cluster(0, 0.1, 100, 0), cluster(1, 0.2, 100, 0),
                cluster(2, 0.3, 100, 0), cluster(3, 0.4, 100, 0)));
        assertEquals(List.of(3, 2), new SupplyPlanner(half).plan(distinct, Set.of(), T0).stream()
                .map(SupplyRequest::clusterId).toList());
    }

    @Test
    void minEngagementIsAnAbsoluteFloor() {
        SupplyPolicy policy = new SupplyPolicy(100, 0.25, 0.0, 10, 10, Duration.ofDays(1), EngagementWindow.EIGHT_HOURS, 20);
        ClusterSupplySnapshot snapshot = snapshot(List.of(cluster(0, 0.24, 100, 0), cluster(1, 0.25, 100, 0)));
        assertEquals(List.of(1), new SupplyPlanner(policy).plan(snapshot, Set.of(), T0).stream()
                .map(SupplyRequest::clusterId).toList());
    }

    @Test
    void clustersWithPendingJobsAreSkipped() {
        List<SupplyRequest> requests = new SupplyPlanner(OPEN).plan(hungry(4), Set.of(0, 2), T0);
        assertEquals(List.of(1, 3), requests.stream().map(SupplyRequest::clusterId).toList());
    }

    @Test
    void theHourlyBudgetCapsRequestsAndRefillsAfterTheHour() {
        SupplyPlanner planner = new SupplyPlanner(OPEN.withJobsPerHour(3));
        ClusterSupplySnapshot snapshot = hungry(10);
        assertEquals(List.of(0, 1, 2), planner.plan(snapshot, Set.of(), T0).stream().map(SupplyRequest::clusterId).toList());
        assertEquals(0, planner.budgetLeft(T0 + HOUR / 2));
        assertEquals(List.of(), planner.plan(snapshot, Set.of(), T0 + HOUR / 2));
        assertEquals(List.of(), planner.plan(snapshot, Set.of(), T0 + HOUR - 1));
        // The caller now has jobs pending for the first three; an hour on, the budget is whole again.
        assertEquals(List.of(3, 4, 5), planner.plan(snapshot, Set.of(0, 1, 2), T0 + HOUR).stream()
                .map(SupplyRequest::clusterId).toList());
    }

    @Test
    void theBudgetWindowSlidesRequestByRequest() {
        SupplyPlanner planner = new SupplyPlanner(OPEN.withJobsPerHour(3).withMaxPerRound(2));
        ClusterSupplySnapshot snapshot = hungry(10);
        assertEquals(2, planner.plan(snapshot, Set.of(), T0).size());
        assertEquals(1, planner.plan(snapshot, Set.of(), T0 + HOUR / 2).size(), "one left of three");
        assertEquals(2, planner.plan(snapshot, Set.of(), T0 + HOUR).size(), "the two from T0 have left the window");
        assertEquals(1, planner.plan(snapshot, Set.of(), T0 + HOUR + HOUR / 2).size(), "the one from T0 + 30 min has left");
        assertEquals(0, planner.budgetLeft(T0 + HOUR + HOUR / 2));
    }

    @Test
    void aZeroBudgetNeverFiles() {
        SupplyPlanner planner = new SupplyPlanner(OPEN.withJobsPerHour(0));
        assertEquals(List.of(), planner.plan(hungry(3), Set.of(), T0));
        assertEquals(List.of(), planner.plan(hungry(3), Set.of(), T0 + 10 * HOUR));
    }

    @Test
    void noEngagementAtAllFilesNothing() {
        ClusterSupplySnapshot snapshot = snapshot(List.of(cluster(0, 0.0, 100, 0), cluster(1, 0.0, 100, 0)));
        assertEquals(List.of(), new SupplyPlanner(OPEN).plan(snapshot, Set.of(), T0));
    }

    @Test
    void badPoliciesAreRefusedWithTheSettingNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SupplyPolicy(
                6, 0, 1.0, 20, 2, Duration.ofDays(1), EngagementWindow.EIGHT_HOURS, 20));
        assertTrue(e.getMessage().contains("engagementQuantile"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SupplyPolicy(
                6, 0, 0.5, 0, 2, Duration.ofDays(1), EngagementWindow.EIGHT_HOURS, 20));
        assertTrue(e.getMessage().contains("freshTarget"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SupplyPolicy(
                6, 0, 0.5, 20, 2, Duration.ofSeconds(1), EngagementWindow.EIGHT_HOURS, 20));
        assertTrue(e.getMessage().contains("freshWindow"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SupplyPolicy(
                -1, 0, 0.5, 20, 2, Duration.ofDays(1), EngagementWindow.EIGHT_HOURS, 20));
        assertTrue(e.getMessage().contains("jobsPerHour"), e.getMessage());
    }
}
