package io.flinkruler.testsupport;

import io.flinkruler.model.Labels;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenMetricsTestDataSupportTest {
    private static final OpenMetricsTestData DATA = OpenMetricsTestData.generate();

    @Test
    void sameSeedGivesSameTextAndOtherSeedDiffers() {
        assertEquals(DATA.text(), OpenMetricsTestData.generate().text());
        assertNotEquals(DATA.text(), OpenMetricsTestData.generate(OpenMetricsTestData.DEFAULT_START_MS, OpenMetricsTestData.DEFAULT_LENGTH, 7).text());
    }

    @Test
    void textEndsWithEofAndHasOneLinePerSample() {
        assertTrue(DATA.text().endsWith("\n# EOF\n"));
        long sampleLines = DATA.text().lines().filter(l -> !l.startsWith("#")).count();
        assertEquals(DATA.samples().size(), sampleLines);
        assertTrue(DATA.samples().size() > 3000, "samples: " + DATA.samples().size());
    }

    @Test
    void noSampleWithin100msOfAMultipleOf5sAndAllInsideTheSpan() {
        for (LabeledSample s : DATA.samples()) {
            long offset = Math.floorMod(s.timestampMs(), 5000);
            assertTrue(offset >= 100 && offset <= 4900, s::toString);
            assertTrue(s.timestampMs() >= DATA.startMs() && s.timestampMs() < DATA.endMs(), s::toString);
        }
    }

    @Test
    void everySeriesIsInTimeOrderAbout15sApart() {
        for (Map.Entry<Labels, List<Sample>> e : DATA.series().entrySet()) {
            List<Sample> s = e.getValue();
            for (int i = 1; i < s.size(); i++) {
                long gap = s.get(i).timestampMs() - s.get(i - 1).timestampMs();
                assertTrue(gap > 14_000 && gap < 16_000, e.getKey() + " gap " + gap);
            }
        }
    }

    @Test
    void timestampsInTheTextAreExactForPromtool() {
        for (String line : DATA.text().lines().filter(l -> !l.startsWith("#")).toList()) {
            String ts = line.substring(line.lastIndexOf(' ') + 1);
            assertTrue(ts.matches("\\d+\\.\\d{3}"), line);
            long ms = Long.parseLong(ts.replace(".", ""));
            assertEquals(ms, (long) (Double.parseDouble(ts) * 1000), line);
        }
    }

    @Test
    void lateStartEarlyStopAndCounterResetArePresent() {
        SortedMap<Labels, List<Sample>> series = DATA.series();
        long third = (DATA.endMs() - DATA.startMs()) / 3;
        List<Sample> late = series.get(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "c", "method", "GET"));
        assertTrue(late.get(0).timestampMs() >= DATA.startMs() + third);
        List<Sample> early = series.get(Labels.of("__name__", "memory_usage_bytes", "job", "api", "instance", "d"));
        assertTrue(early.get(early.size() - 1).timestampMs() < DATA.startMs() + 2 * third);
        List<Sample> full = series.get(Labels.of("__name__", "memory_usage_bytes", "job", "api", "instance", "a"));
        assertTrue(full.get(full.size() - 1).timestampMs() > DATA.endMs() - 16_000);

        for (String name : List.of("http_requests_total", "process_cpu_seconds_total", "request_duration_seconds_count")) {
            assertEquals(1, resets(series.get(labelsOfB(name))), name);
            assertEquals(0, resets(series.get(labelsOfB(name).with("instance", "a"))), name);
        }
    }

    private static Labels labelsOfB(String name) {
        Labels l = Labels.of("__name__", name, "job", "api", "instance", "b");
        return name.startsWith("http_") ? l.with("method", "GET") : l;
    }

    private static int resets(List<Sample> s) {
        int n = 0;
        for (int i = 1; i < s.size(); i++) if (s.get(i).value() < s.get(i - 1).value()) n++;
        return n;
    }

    @Test
    void histogramBucketsAreCumulativeAndInfBucketEqualsCount() {
        Map<Long, List<LabeledSample>> byTime = DATA.samples().stream()
                .filter(s -> s.labels().get("instance").equals("a") && s.labels().metricName().startsWith("request_duration_seconds"))
                .collect(Collectors.groupingBy(LabeledSample::timestampMs));
        assertFalse(byTime.isEmpty());
        for (List<LabeledSample> scrape : byTime.values()) {
            double previous = 0;
            double inf = Double.NaN;
            double count = Double.NaN;
            for (LabeledSample s : scrape) {   // text order: buckets by ascending le, then _count, _sum
                switch (s.labels().metricName()) {
                    case "request_duration_seconds_bucket" -> {
                        assertTrue(s.value() >= previous, s::toString);
                        previous = s.value();
                        if (s.labels().get("le").equals("+Inf")) inf = s.value();
                    }
                    case "request_duration_seconds_count" -> count = s.value();
                    default -> assertTrue(s.value() >= 0);
                }
            }
            assertEquals(count, inf);
        }
    }

    @Test
    void joinPartnersShareInstanceLabels() {
        List<String> infoInstances = DATA.series().keySet().stream().filter(l -> l.metricName().equals("build_info"))
                .map(l -> l.get("instance")).sorted().toList();
        assertEquals(List.of("a", "b", "c", "d"), infoInstances);
    }

    @Test
    void evaluationTimestampsAreMultiplesOfTheIntervalUntilFiveMinutesAfterTheEnd() {
        List<Long> ts = DATA.evaluationTimestamps(60_000);
        assertEquals(DATA.startMs(), ts.get(0));
        assertEquals(DATA.endMs() + 300_000, ts.get(ts.size() - 1));
        assertEquals(36, ts.size());
        OpenMetricsTestData shifted = OpenMetricsTestData.generate(DATA.startMs() + 7_000, Duration.ofMinutes(10), 1);
        assertEquals(DATA.startMs() + 60_000, shifted.evaluationTimestamps(60_000).get(0));
    }

    @Test
    void promtoolUnsafeTimestampsGetALongerButExactForm() {
        long tricky = 1_093_777_596_942L;   // "1093777596.942" * 1000 truncates to ...941 in float arithmetic
        assertFalse(OpenMetricsText.plainTimestampIsExact(tricky));
        String s = OpenMetricsText.timestamp(tricky);
        assertEquals(tricky, (long) (Double.parseDouble(s) * 1000));
        assertEquals(tricky, Math.round(Double.parseDouble(s) * 1000));
        assertEquals("1577836800.123", OpenMetricsText.timestamp(1_577_836_800_123L));
    }

    @Test
    void valuesAndLinesAreFormattedAsOpenMetrics() {
        assertEquals("1", OpenMetricsText.value(1.0));
        assertEquals("100000000000000000000", OpenMetricsText.value(1e20));
        assertEquals("-0.25", OpenMetricsText.value(-0.25));
        assertEquals("+Inf", OpenMetricsText.value(Double.POSITIVE_INFINITY));
        assertEquals("NaN", OpenMetricsText.value(Double.NaN));
        assertEquals("x_total{a=\"q\\\"uote\",b=\"2\"} 3.5 1.000",
                OpenMetricsText.sampleLine(Labels.of("__name__", "x_total", "b", "2", "a", "q\"uote"), 3.5, 1000));
        assertEquals("up 1 0.001", OpenMetricsText.sampleLine(Labels.of("__name__", "up"), 1, 1));
    }
}
