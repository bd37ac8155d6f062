package dev.feedserver.ranking.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.catalog.ItemStatistics;
import dev.feedserver.ranking.feed.CandidateSource;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batched, GEMM-based assembly against a slow, family-by-family reference written from the schema's definitions. */
class FeatureAssemblerTest {
    private static RankerFixture fixture;

    @BeforeAll
    static void build() {
        fixture = new RankerFixture(21, 1);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void batchedAssemblyMatchesTheReferenceForEveryFamily() {
        FeedModel model = fixture.model;
        FeatureSchema schema = fixture.schema;
        long now = 1_767_225_600_000L + 3_600_000L * 7;
        // The popularity prior is a snapshot re-ranked at most once a second; take it after the
        // fixture's last event so both assemblies read the same one.
        model.popularity().refresh();
        int checkedUsers = 0;
        for (int u = 0; u < 40; u += 3) {
            String user = fixture.world.userIds().get(u);
            FeedPipeline.Retrieved retrieved = fixture.pipeline.retrieve(user);
            int n = Math.min(50, retrieved.count());
            int[] items = java.util.Arrays.copyOf(retrieved.items(), n);
            byte[] sources = java.util.Arrays.copyOf(retrieved.sources(), n);
            float[] longTerm = retrieved.longTermVector().clone();
            float[] session = retrieved.sessionVector().clone();
            RequestFeatures r = fixture.assembler.newRequest(64);
            fixture.assembler.loadRequest(r, user, longTerm, session, now);
            fixture.assembler.writeCandidates(r, items, sources, n);
            float[] dense = new float[schema.width()];
            for (int i = 0; i < n; i++) {
                fixture.assembler.writeDense(r, items[i], i, dense, 0);
                float[] expected = reference(model, schema, user, longTerm, session, items[i], sources[i], now);
                int contentSims = schema.offset(FeatureScope.CANDIDATE) + schema.offsetInScope("similarities") + 2;
                for (FeatureFamily family : schema.families()) {
                    int at = schema.offset(family.scope()) + schema.offsetInScope(family.name());
                    for (int k = 0; k < family.width(); k++) {
                        // Content similarities come from int8 codes of unit vectors: within 0.02 of float.
                        boolean int8 = at + k >= contentSims && at + k < contentSims + 3;
                        float tolerance = int8 ? 0.02f : 2e-5f * Math.max(1f, Math.abs(expected[at + k]));
                        assertEquals(expected[at + k], dense[at + k], tolerance,
                                family.name() + "[" + k + "] for user " + user + ", item " + items[i]);
                    }
                }
            }
            checkedUsers++;
        }
        assertTrue(checkedUsers > 10);
    }

    @Test
    void fastLogMatchesTheLibrary() {
        for (double x : new double[] {0, 1e-9, 1e-3, 0.5, 1, 2, 3.7, 10, 123.4, 1e4, 3e6, 1e12}) {
            assertEquals(Math.log1p(x), FeatureAssembler.ln1p(x), 2e-6 + 1e-9 * Math.abs(Math.log1p(x)), "ln1p(" + x + ")");
        }
    }

    /** One dense row computed the slow way, straight from the model, one family after another. */
    static float[] reference(FeedModel model, FeatureSchema schema, String user, float[] longTerm, float[] session,
                             int item, byte sources, long now) {
        int d = schema.factorDim();
        int c = schema.contentWidth();
        int h = schema.historyLength();
        float[] row = new float[schema.width()];
        int at = 0;
        // REQUEST
        for (int k = 0; k < d; k++) {
            row[at++] = longTerm[k];
        }
        for (int k = 0; k < d; k++) {
            row[at++] = session[k];
        }
        int userRow = model.users().rowOf(user);
        int[] recent = new int[dev.feedserver.ranking.users.UserProfiles.RECENT_ITEMS];
        int count = userRow < 0 ? 0 : Math.min(h, model.users().recent().newestFirst(userRow, recent));
        float[][] historyVectors = new float[h][d];
        float[][] historyContent = new float[h][c];
        for (int j = 0; j < count; j++) {
            model.catalog().vectors().read(recent[j], historyVectors[j]);
            model.content().read(recent[j], historyContent[j], 0);
        }
        float[] profile = new float[c];
        for (int j = 0; j < count; j++) {
            for (int k = 0; k < c; k++) {
                profile[k] += historyContent[j][k];
            }
        }
        normalise(profile);
        for (int k = 0; k < c; k++) {
            row[at++] = profile[k];
        }
        float[] affinity = new float[schema.clusters()];
        if (!model.affinities().read(user, affinity)) {
            model.clusters().affinityOf(longTerm, affinity);
        }
        for (float a : affinity) {
            row[at++] = a;
        }
        for (int j = 0; j < h; j++) {
            for (int k = 0; k < d; k++) {
                row[at++] = historyVectors[j][k];
            }
        }
        for (int j = 0; j < h; j++) {
            for (int k = 0; k < c; k++) {
                row[at++] = historyContent[j][k];
            }
        }
        boolean known = dot(longTerm, longTerm) > 0;
        int consumed = userRow < 0 ? 0 : model.users().consumed().count(userRow);
        row[at++] = known ? 1 : 0;
        row[at++] = (float) (Math.log1p(consumed) / 10);
        row[at++] = count / (float) h;
        row[at++] = (float) (Math.log1p(Math.max(0, count > 0 ? consumed - count : 0)) / 10);
        ZonedDateTime when = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC);
        row[at + when.getHour()] = 1;
        at += 24;
        row[at + when.getDayOfWeek().getValue() - 1] = 1;
        at += 7;
        assertEquals(schema.width(FeatureScope.REQUEST), at);
        // ITEM
        float[] vector = new float[d];
        model.catalog().vectors().read(item, vector);
        for (int k = 0; k < d; k++) {
            row[at++] = vector[k];
        }
        float[] content = new float[c];
        model.content().read(item, content, 0);
        for (int k = 0; k < c; k++) {
            row[at++] = content[k];
        }
        float[] tags = new float[schema.tagBuckets()];
        List<String> itemTags = model.catalog().item(item).tags();
        for (String tag : itemTags) {
            tags[Math.floorMod(FeatureAssembler.mix(tag.hashCode()), tags.length)] += 1;
        }
        normalise(tags);
        for (float t : tags) {
            row[at++] = t;
        }
        // CANDIDATE
        for (int k = 0; k < d; k++) {
            row[at++] = longTerm[k] * vector[k];
        }
        row[at++] = dot(longTerm, vector);
        row[at++] = dot(session, vector);
        row[at++] = dot(profile, content);
        float maxC = 0;
        float sumC = 0;
        float maxV = 0;
        for (int j = 0; j < count; j++) {
            float sc = dot(historyContent[j], content);
            float sv = dot(historyVectors[j], vector);
            maxC = j == 0 ? sc : Math.max(maxC, sc);
            maxV = j == 0 ? sv : Math.max(maxV, sv);
            sumC += sc;
        }
        row[at++] = maxC;
        row[at++] = count == 0 ? 0 : sumC / count;
        row[at++] = maxV;
        int cluster = model.clusters().clusterOf(item);
        row[at++] = cluster >= 0 ? affinity[cluster] : 0;
        row[at++] = (float) Math.sqrt(dot(vector, vector));
        for (int j = 0; j < h; j++) {
            row[at++] = j < count ? dot(historyVectors[j], vector) : 0;
        }
        float[] counters = new float[ItemStatistics.COUNTERS];
        model.statistics().read(item, now, counters, 0);
        for (float v : counters) {
            row[at++] = (float) Math.log1p(v);
        }
        for (int w = 0; w < 3; w++) {
            row[at++] = counters[w] / (counters[w] + counters[3 + w] + counters[6 + w] + 1);
        }
        row[at++] = model.popularity().prior(item);
        row[at++] = (float) (Math.log1p(model.catalog().popularity(item)) / 10);
        long age = Math.max(0, now - model.catalog().item(item).createdAtMillis());
        row[at++] = (float) Math.exp(-age / 86_400_000.0);
        row[at++] = (float) Math.exp(-age / (4 * 86_400_000.0));
        row[at++] = (float) Math.exp(-age / (16 * 86_400_000.0));
        row[at++] = (float) (Math.log1p(age / 86_400_000.0) / 10);
        int bits = 0;
        for (byte source : new byte[] {CandidateSource.INTEREST, CandidateSource.POPULAR, CandidateSource.TRENDING,
                CandidateSource.FRESH, CandidateSource.CLUSTER}) {
            boolean on = (sources & source) != 0;
            row[at++] = on ? 1 : 0;
            bits += on ? 1 : 0;
        }
        row[at++] = bits / 5f;
        assertEquals(schema.width(), at);
        return row;
    }

    private static float dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return (float) s;
    }

    private static void normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        if (n > 0) {
            float inv = (float) (1 / Math.sqrt(n));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
    }
}
