package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.parser.PromqlParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesStorePostingsTest {
    private static final long MIN = 60_000;

    private static Labels series(int i) {
        return Labels.of("__name__", "m" + (i % 3), "job", "job-" + (i % 5), "instance", "host-" + i);
    }

    private static TreeSet<Labels> postingLabels(SeriesStore store, String name, String value) {
        TreeSet<Labels> out = new TreeSet<>();
        PostingList p = store.postings(name, value);
        if (p == null) return out;
        for (int i = 0; i < p.size(); i++) assertTrue(out.add(store.labels(p.ids()[i])), "an id twice in one posting list");
        return out;
    }

    private static TreeSet<Labels> expected(Map<Labels, Long> live, String name, String value) {
        TreeSet<Labels> out = new TreeSet<>();
        for (Labels l : live.keySet()) if (l.get(name).equals(value)) out.add(l);
        return out;
    }

    @Test
    void postingsFollowRandomAddsAndEvictions() {
        SeriesStore store = new SeriesStore();
        Map<Labels, Long> lastTs = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        store.postings("job", "job-0"); // index job from the start; instance only later
        for (long ts = 1; ts <= 400; ts++) {
            for (int k = 0; k < 20; k++) {
                Labels l = series(random.nextInt(300));
                store.append(l, ts, 1);
                lastTs.put(l, ts);
            }
            if (ts % 25 == 0) {
                long min = ts - 10;
                store.evictBefore(min);
                lastTs.values().removeIf(t -> t < min);
                assertEquals(lastTs.size(), store.seriesCount());
                for (int j = 0; j < 5; j++) assertEquals(expected(lastTs, "job", "job-" + j), postingLabels(store, "job", "job-" + j));
                for (int m = 0; m < 3; m++) assertEquals(expected(lastTs, "__name__", "m" + m), postingLabels(store, "__name__", "m" + m));
                for (int i = 0; i < 300; i += 7) {
                    assertEquals(expected(lastTs, "instance", "host-" + i), postingLabels(store, "instance", "host-" + i));
                }
            }
        }
        assertEquals(List.of("__name__", "job", "instance"), store.indexedLabelNames());
        assertNull(store.postings("job", "nope"));
        assertNull(store.postings("absent_label", "x"));
    }

    @Test
    void evictingHundredThousandSeriesOfOneJobIsLinear() {
        SeriesStore store = new SeriesStore();
        store.postings("job", "api");
        int n = 100_000;
        for (int i = 0; i < n; i++) store.append(Labels.of("__name__", "x", "job", "api", "instance", "h" + i), i, 1);
        assertEquals(n, store.postings("job", "api").size());
        // evicts from the front of the posting list: a linear search per removal would take ~5e9 steps
        store.evictBefore(n);
        assertEquals(0, store.seriesCount());
        assertNull(store.postings("job", "api"));
        assertNull(store.postings("__name__", "x"));
    }

    @Test
    void retainingSeriesDropsTheRestWithTheirSamplesAndPostings() {
        SeriesStore store = new SeriesStore();
        for (int i = 0; i < 10; i++) {
            store.append(Labels.of("__name__", i % 2 == 0 ? "kept" : "gone", "i", "" + i), 1, 1);
            store.append(Labels.of("__name__", i % 2 == 0 ? "kept" : "gone", "i", "" + i), 2, 2);
        }
        assertEquals(5, store.retainSeries(l -> l.metricName().equals("kept")));
        assertEquals(5, store.seriesCount());
        assertEquals(10, store.sampleCount());
        assertNull(store.postings("__name__", "gone"));
        assertEquals(-1, store.existingId(Labels.of("__name__", "gone", "i", "1")));
        assertEquals(5, store.postings("__name__", "kept").size());
        int id = store.existingId(Labels.of("__name__", "kept", "i", "2"));
        assertTrue(id >= 0);
        assertEquals(id, store.seriesId(Labels.of("__name__", "kept", "i", "2")));
    }

    @Test
    void indexIsRebuiltOnReadAndFormatIsUnchanged() throws IOException {
        SeriesStore store = new SeriesStore();
        for (int i = 0; i < 50; i++) store.append(series(i), 10, i);
        store.postings("job", "job-1");
        byte[] bytes = serialize(store);
        SeriesStore plain = new SeriesStore();
        for (int i = 0; i < 50; i++) plain.append(series(i), 10, i);
        assertTrue(java.util.Arrays.equals(serialize(plain), bytes), "the index adds nothing to the snapshot");
        SeriesStore copy = SeriesStore.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertEquals(List.of("__name__"), copy.indexedLabelNames());
        assertEquals(postingLabels(store, "job", "job-1"), postingLabels(copy, "job", "job-1"));
        assertEquals(10, postingLabels(copy, "job", "job-1").size());
    }

    private static byte[] serialize(SeriesStore store) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    /** Every kind of matcher, with and without an indexable one, gives what a full scan gives. */
    @Test
    void selectorsSeeTheSameSeriesAsAFullScan() throws Exception {
        SeriesStore store = new SeriesStore();
        List<Labels> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Labels l = i % 4 == 0 ? series(i).with("env", "prod") : series(i);
            all.add(l);
            for (int k = 0; k < 5; k++) store.append(l, k * 15_000L, i + k);
        }
        String[] selectors = {
            "{job=\"job-1\"}", "{job=\"job-1\", env=\"prod\"}", "{job=\"job-1\", env=\"\"}", "{env=\"\", job=~\"job-[12]\"}",
            "{__name__=\"m1\", instance=\"host-4\"}", "{__name__=\"m1\", instance=\"host-1\"}", "{job!=\"job-1\", instance=~\"host-1.*\"}",
            "{__name__=~\"m[01]\"}", "{job=\"nope\"}", "m2{job=\"job-2\", env!~\"p.*\"}", "{instance=\"host-59\", job=\"job-4\"}",
            "{job=~\"job-1|job-2\"}", "{__name__=~\"m0|m2\", job=\"job-1\"}", "{job=~\"job-1|\", instance=\"host-3\"}",
            "{job=~\"job\\\\-1|nope\", env=~\"prod|x\"}", "{job=~\"job-1|job-.\"}"
        };
        for (String sel : selectors) {
            EvalPlan plan = EvalPlan.compile(PromqlParser.parse("count(" + sel + ")"), EvalOptions.defaults(MIN));
            LeafValues values = SeriesStep.evaluate(plan, store, 60_000);
            Leaf leaf = plan.leaves().get(0);
            HashSet<Labels> expected = new HashSet<>();
            for (Labels l : all) {
                boolean ok = true;
                for (var m : leaf.matchers) ok &= m.matches(l.get(m.name()));
                if (ok) expected.add(l);
            }
            HashSet<Labels> got = new HashSet<>();
            LeafData d = values.leaves[0];
            for (int s = 0; s < d.seriesCount; s++) got.add(d.labels[s]);
            assertEquals(expected, got, sel);
        }
    }

    @Test
    void literalAlternationsAreIndexable() {
        assertEquals(List.of("a", "b:c", "d.e"), List.of(IndexableValues.literalAlternatives("a|b:c|a|d\\.e")));
        assertNull(IndexableValues.literalAlternatives("a|"));
        assertNull(IndexableValues.literalAlternatives("|a"));
        assertNull(IndexableValues.literalAlternatives("a.b"));
        assertNull(IndexableValues.literalAlternatives("(a|b)"));
        assertNull(IndexableValues.literalAlternatives("a\\d"));
        assertNull(IndexableValues.literalAlternatives("a*"));
        assertNull(IndexableValues.literalAlternatives(""));
        assertNull(IndexableValues.of(new io.flinkruler.promql.ast.LabelMatcher(io.flinkruler.promql.ast.LabelMatcher.Type.EQ, "l", "")));
        assertNull(IndexableValues.of(new io.flinkruler.promql.ast.LabelMatcher(io.flinkruler.promql.ast.LabelMatcher.Type.NRE, "l", "a|b")));
        assertEquals(List.of("v"), List.of(IndexableValues.of(new io.flinkruler.promql.ast.LabelMatcher(io.flinkruler.promql.ast.LabelMatcher.Type.EQ, "l", "v"))));
    }

    /** The estimate reported for the postings: a typical 5-label series with job and instance indexed. */
    @Test
    void indexFootprintPerSeries() {
        SeriesStore names = new SeriesStore();
        SeriesStore jobs = new SeriesStore();
        SeriesStore all = new SeriesStore();
        jobs.postings("job", "x");
        for (String l : List.of("job", "instance", "code", "le")) all.postings(l, "x");
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            Labels l = Labels.of("__name__", "m" + (i % 20), "job", "job-" + (i % 10), "instance", "host-" + (i / 20),
                    "code", String.valueOf(200 + i % 4 * 100), "le", String.valueOf(i % 10));
            names.seriesId(l);
            jobs.seriesId(l);
            all.seriesId(l);
        }
        double perSeriesNames = names.indexFootprintBytes() / (double) n;
        double perSeriesJobs = jobs.indexFootprintBytes() / (double) n;
        double perSeriesAll = all.indexFootprintBytes() / (double) n;
        System.out.printf("postings bytes/series: name only %.1f, name+job %.1f, all 5 labels %.1f%n",
                perSeriesNames, perSeriesJobs, perSeriesAll);
        assertTrue(perSeriesNames < 16, "name only: " + perSeriesNames);
        assertTrue(perSeriesJobs < 24, "name+job: " + perSeriesJobs);
        assertTrue(perSeriesAll < 120, "all: " + perSeriesAll);
    }
}
