package dev.feedserver.ranking.supply;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which latent clusters need new content: those whose audience engages well but that hold
 * few fresh items. Each {@link #plan} call ranks the eligible clusters by
 * {@code score = engagementRate * (1 - freshItems / freshTarget)} and files the best, at most
 * {@link SupplyPolicy#maxPerRound()} per call and {@link SupplyPolicy#jobsPerHour()} in any sliding
 * hour.
 *
 * <p>A cluster is eligible when it has any exposure (no evidence, no request), fewer fresh items
 * than {@link SupplyPolicy#freshTarget()}, a rate at least {@link SupplyPolicy#minEngagement()}, a
 * rate strictly above those of at least a fraction {@link SupplyPolicy#engagementQuantile()} of the
 * clusters with exposure (ties do not count, so equally dull clusters do not pass each other), a
 * positive score, and no pending job (the caller's set). Ties are broken by cluster
 * number, so a plan depends only on its inputs and the budget's history: deterministic.
 *
 * <p>The budget counts every request returned, whether or not the caller manages to submit it,
 * so a failing downstream cannot make the planner file more than its budget.
 *
 * <p>Threading: {@link #plan} and {@link #budgetLeft} are synchronized (one planning thread is the
 * expected caller). Time comes only from the callers' {@code nowMillis}, so tests drive it with a
 * fake clock. Lifecycle: heap only.
 */
public final class SupplyPlanner {
    private static final long HOUR_MILLIS = 3_600_000L;

    private final SupplyPolicy policy;
    private final HourlyBudget budget;

    public SupplyPlanner(SupplyPolicy policy) {
        this.policy = policy;
        this.budget = new HourlyBudget(policy.jobsPerHour(), HOUR_MILLIS);
    }

    public SupplyPolicy policy() {
        return policy;
    }

    /** Requests the hourly budget still allows at {@code nowMillis}. */
    public synchronized int budgetLeft(long nowMillis) {
        return budget.available(nowMillis);
    }

    /**
     * Files requests for the best eligible clusters of {@code snapshot}, best first, skipping
     * {@code clustersWithPendingJobs}; spends one unit of the hourly budget per request returned.
     */
    public synchronized List<SupplyRequest> plan(ClusterSupplySnapshot snapshot, Set<Integer> clustersWithPendingJobs,
                                                 long nowMillis) {
        int allowed = Math.min(policy.maxPerRound(), budget.available(nowMillis));
        if (allowed == 0) {
            return List.of();
        }
        double[] measured = measuredRates(snapshot);
        List<SupplyRequest> ranked = new ArrayList<>();
        for (ClusterSupplySnapshot.Cluster cluster : snapshot.clusters()) {
            if (cluster.exposures() <= 0 || cluster.freshItems() >= policy.freshTarget()
                    || cluster.engagementRate() < policy.minEngagement()
                    || !beatsQuantile(cluster.engagementRate(), measured)
                    || clustersWithPendingJobs.contains(cluster.id())) {
                continue;
            }
            double score = cluster.engagementRate() * (1.0 - (double) cluster.freshItems() / policy.freshTarget());
            if (score > 0) {
                ranked.add(request(cluster, score, snapshot.overallRate()));
            }
        }
        ranked.sort(Comparator.comparingDouble(SupplyRequest::score).reversed()
                .thenComparingInt(SupplyRequest::clusterId));
        List<SupplyRequest> filed = List.copyOf(ranked.subList(0, Math.min(allowed, ranked.size())));
        for (int i = 0; i < filed.size(); i++) {
            budget.spend(nowMillis);
        }
        return filed;
    }

    /** Rates of the clusters with any exposure, ascending. */
    private static double[] measuredRates(ClusterSupplySnapshot snapshot) {
        double[] rates = snapshot.clusters().stream()
                .filter(c -> c.exposures() > 0)
                .mapToDouble(ClusterSupplySnapshot.Cluster::engagementRate)
                .toArray();
        Arrays.sort(rates);
        return rates;
    }

    /**
     * True when at least {@link SupplyPolicy#engagementQuantile()} of the measured clusters have a
     * strictly lower rate than {@code rate}: clusters tied with many others (all equally dull) do
     * not pass each other.
     */
    private boolean beatsQuantile(double rate, double[] ascending) {
        int lo = 0;
        int hi = ascending.length;
        while (lo < hi) { // lo ends at the count of rates strictly below `rate`
            int mid = (lo + hi) >>> 1;
            if (ascending[mid] < rate) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo >= policy.engagementQuantile() * ascending.length;
    }

    private SupplyRequest request(ClusterSupplySnapshot.Cluster cluster, double score, double overallRate) {
        String reason = String.format(Locale.ROOT,
                "cluster %d: engagement %.3f over %.1f exposures (overall %.3f), %d fresh of %d wanted within %s",
                cluster.id(), cluster.engagementRate(), cluster.exposures(), overallRate, cluster.freshItems(),
                policy.freshTarget(), policy.freshWindow());
        return new SupplyRequest(cluster.id(), cluster.dominantTags(), cluster.engagementRate(), cluster.freshItems(),
                score, reason);
    }
}
