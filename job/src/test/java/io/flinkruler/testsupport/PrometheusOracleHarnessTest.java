package io.flinkruler.testsupport;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** promtool blocks from {@link OpenMetricsTestData}, served by a real Prometheus, queried as the oracle. */
class PrometheusOracleHarnessTest {
    private static final OpenMetricsTestData DATA = OpenMetricsTestData.generate();
    private static final long LOOKBACK_MS = 300_000;
    private static PrometheusOracle oracle;

    @BeforeAll
    static void start() {
        long begin = System.nanoTime();
        oracle = PrometheusOracle.fromOpenMetrics(DATA.text());
        System.out.printf("oracle (promtool create-blocks + prometheus start) ready in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (oracle != null) oracle.close();
    }

    @Test
    void everyGeneratedSampleIsInTheBlocksExactly() {
        Map<Labels, List<Sample>> got = oracle.prometheus().seriesSamples("{__name__=~\".+\"}", DATA.startMs(), DATA.endMs());
        assertEquals(DATA.series(), got);
    }

    @Test
    void instantSelectorsGiveTheLatestSampleWithinTheLookback() {
        SortedMap<Labels, List<Sample>> series = DATA.series();
        for (long t : DATA.evaluationTimestamps(150_000)) {
            Map<Labels, Double> want = new TreeMap<>();
            series.forEach((labels, samples) -> {
                Sample latest = null;
                for (Sample s : samples) if (s.timestampMs() <= t) latest = s;
                if (latest != null && t - latest.timestampMs() <= LOOKBACK_MS) want.put(labels, latest.value());
            });
            Map<Labels, Double> got = new TreeMap<>();
            for (SeriesValue v : oracle.evaluate("{__name__=~\".+\"}", t)) got.put(v.labels(), v.value());
            assertEquals(want, got, "at " + t);
        }
    }

    @Test
    void rateOverFiveMinutesCoversEveryInstanceInTheMiddle() {
        long t = DATA.startMs() + 15 * 60_000;
        List<SeriesValue> rates = oracle.evaluate("rate(http_requests_total[5m])", t);
        assertEquals(8, rates.size(), rates::toString);
        for (SeriesValue v : rates) {
            assertFalse(v.labels().has("__name__"), v::toString);
            if (v.labels().get("method").equals("GET")) assertTrue(v.value() > 0.3 && v.value() < 1.7, v::toString);
        }
    }

    @Test
    void joinsAndHistogramQuantilesWork() {
        long t = DATA.startMs() + 12 * 60_000;
        List<SeriesValue> joined = oracle.evaluate(
                "sum by (instance, version) (rate(http_requests_total[5m]) * on(instance) group_left(version) build_info)", t);
        Map<String, String> versions = new TreeMap<>();
        for (SeriesValue v : joined) versions.put(v.labels().get("instance"), v.labels().get("version"));
        assertEquals(Map.of("a", "1.2.0", "b", "1.2.0", "c", "1.3.0", "d", "1.1.0"), versions);

        List<SeriesValue> p90 = oracle.evaluate("histogram_quantile(0.9, sum by (le, instance) (rate(request_duration_seconds_bucket[5m])))", t);
        assertEquals(2, p90.size(), p90::toString);
        for (SeriesValue v : p90) assertTrue(v.value() > 0.05 && v.value() < 1, v::toString);
    }

    @Test
    void recordingRuleOutputRenamesSetsLabelsAndMarksVanishedSeriesStale() {
        List<Long> evals = DATA.evaluationTimestamps(60_000);
        List<LabeledSample> got = oracle.recordingRuleOutput("job:memory_usage_bytes:max",
                Map.of("source", "oracle", "job", "recorded"), "max by (job, instance) (memory_usage_bytes)", evals);

        // expected from the data: one series per instance, the latest sample within the lookback, then one marker
        List<LabeledSample> want = new ArrayList<>();
        DATA.series().forEach((labels, samples) -> {
            if (!labels.metricName().equals("memory_usage_bytes")) return;
            Labels out = labels.with("__name__", "job:memory_usage_bytes:max").with("job", "recorded").with("source", "oracle");
            boolean present = false;
            for (long t : evals) {
                Sample latest = null;
                for (Sample s : samples) if (s.timestampMs() <= t && t - s.timestampMs() <= LOOKBACK_MS) latest = s;
                if (latest != null) want.add(new LabeledSample(out, t, latest.value()));
                else if (present) want.add(new LabeledSample(out, t, StaleMarker.VALUE));
                present = latest != null;
            }
        });
        assertEquals(want, got);
        long markersOfD = got.stream().filter(s -> s.labels().get("instance").equals("d") && s.isStaleMarker()).count();
        assertEquals(1, markersOfD);
        assertEquals(4, PrometheusOracle.withoutStaleMarkers(got).size());
    }

    @Test
    void anEvaluationWithDuplicateOutputSeriesWritesNothing() {
        // removing "instance" makes the four series collide: Prometheus fails each such evaluation
        List<LabeledSample> out = oracle.recordingRuleOutput("mem", Map.of("instance", ""), "memory_usage_bytes",
                DATA.evaluationTimestamps(60_000));
        assertTrue(out.isEmpty(), out::toString);
        List<LabeledSample> scalar = oracle.recordingRuleOutput("answer", Map.of(), "6 * 7", List.of(DATA.startMs()));
        assertEquals(List.of(new LabeledSample(Labels.of("__name__", "answer"), DATA.startMs(), 42)), scalar);
    }

    @Test
    void timestampsMustAscend() {
        assertThrows(IllegalArgumentException.class,
                () -> oracle.recordingRuleOutput("x", Map.of(), "1", List.of(DATA.startMs(), DATA.startMs())));
    }
}
