package io.flinkruler.source;

import io.flinkruler.model.Labels;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorSourceTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = FlinkTestSupport.miniCluster();

    private static final long START = 1_700_000_000_000L;
    private static final GeneratorOptions OPTIONS = GeneratorOptions.fast("demo-tenant", 3, Duration.ofSeconds(15), START)
            .withRounds(20)
            .withCounterResetEveryRounds(8);

    private static List<Sample> run(int parallelism, GeneratorOptions options) throws Exception {
        List<Sample> got = FlinkTestSupport.env(parallelism)
                .fromSource(new GeneratorSource(options),
                        WatermarkStrategy.<Sample>forBoundedOutOfOrderness(Duration.ofSeconds(30))
                                .withTimestampAssigner((s, ts) -> s.timestampMs()), "generator")
                .executeAndCollect(100_000);
        List<Sample> sorted = new ArrayList<>(got);
        sorted.sort(Comparator.comparing(Sample::labels).thenComparingLong(Sample::timestampMs));
        return sorted;
    }

    @Test
    void boundedFastModeGivesEverySeriesOneSamplePerRound() throws Exception {
        List<Sample> samples = run(2, OPTIONS);
        assertEquals(OPTIONS.totalSamples(), samples.size());
        assertEquals(20 * 3 * 19, samples.size());
        Map<Labels, List<Sample>> bySeries = samples.stream()
                .collect(Collectors.groupingBy(Sample::labels, TreeMap::new, Collectors.toList()));
        assertEquals(3 * 19, bySeries.size());
        for (List<Sample> series : bySeries.values()) {
            for (int r = 0; r < 20; r++) {
                assertEquals(START + r * 15_000L, series.get(r).timestampMs());
                assertEquals("demo-tenant", series.get(r).tenant());
            }
        }
        assertTrue(bySeries.containsKey(Labels.of("__name__", "demo_requests_total", "instance", "host-2:9100", "job", "demo",
                "method", "POST", "status", "500")));
        assertTrue(bySeries.containsKey(Labels.of("__name__", "demo_request_duration_seconds_bucket", "instance", "host-0:9100",
                "job", "demo", "le", "+Inf")));
    }

    @Test
    void countersRiseAndResetHistogramsStayConsistent() throws Exception {
        List<Sample> samples = run(1, OPTIONS);
        Map<Labels, List<Sample>> bySeries = samples.stream()
                .collect(Collectors.groupingBy(Sample::labels, TreeMap::new, Collectors.toList()));
        int resets = 0;
        for (Map.Entry<Labels, List<Sample>> e : bySeries.entrySet()) {
            String name = e.getKey().metricName();
            List<Sample> s = e.getValue();
            if (name.equals("demo_temperature_celsius")) {
                for (Sample x : s) assertTrue(x.value() > 14 && x.value() < 26, x.toString());
                continue;
            }
            // Every other series is a counter: it only drops at a reset, every 8 rounds.
            int drops = 0;
            for (int i = 1; i < s.size(); i++) if (s.get(i).value() < s.get(i - 1).value()) drops++;
            assertTrue(drops >= 2 && drops <= 3, e.getKey() + " dropped " + drops + " times in 20 rounds");
            resets += drops;
        }
        assertTrue(resets > 0);

        // Per target and time: buckets rise with le, +Inf equals _count.
        Map<String, List<Sample>> histograms = samples.stream()
                .filter(x -> x.labels().metricName().startsWith("demo_request_duration_seconds"))
                .collect(Collectors.groupingBy(x -> x.labels().get("instance") + "@" + x.timestampMs()));
        assertEquals(3 * 20, histograms.size());
        for (List<Sample> h : histograms.values()) {
            double count = h.stream().filter(x -> x.labels().metricName().endsWith("_count")).findFirst().orElseThrow().value();
            List<Sample> buckets = h.stream().filter(x -> x.labels().metricName().endsWith("_bucket"))
                    .sorted(Comparator.comparingDouble(x -> x.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(x.labels().get("le"))))
                    .toList();
            assertEquals(12, buckets.size());
            for (int i = 1; i < buckets.size(); i++) assertTrue(buckets.get(i).value() >= buckets.get(i - 1).value());
            assertEquals(count, buckets.get(11).value());
        }
    }

    @Test
    void theSamplesDoNotDependOnHowTargetsAreSplit() throws Exception {
        GeneratorOptions small = OPTIONS.withRounds(4);
        assertEquals(run(1, small.withSplits(1)), run(2, small.withSplits(3)));
    }
}
