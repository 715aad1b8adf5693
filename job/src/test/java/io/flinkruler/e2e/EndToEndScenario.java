package io.flinkruler.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flinkruler.model.Labels;
import io.flinkruler.testsupport.LabeledSample;
import io.flinkruler.testsupport.OpenMetricsTestData;
import io.flinkruler.testsupport.PrometheusOracle;
import io.flinkruler.testsupport.PrometheusProcess;
import io.flinkruler.testsupport.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The end-to-end check shared by the local, cluster and failover tests: rule files and a config in a
 * folder, OpenMetrics input, and the comparison of what reached the receiving Prometheus with what
 * Prometheus itself computes for the same rules over the same data.
 */
final class EndToEndScenario {
    static final String TENANT = "team-a";

    /**
     * A recording rule of the scenario: group interval, record name, expression, rule labels, and the counter rate
     * in it whose extrapolation differs between the oracle (2.42) and 3.x where the counter starts (or null).
     */
    record RuleCase(long intervalMs, String record, String expr, Labels labels, CounterRate versionSensitiveRate) {
        RuleCase(long intervalMs, String record, String expr, Labels labels) { this(intervalMs, record, expr, labels, null); }
    }

    /** {@code rate(metricName[rangeMs])}. */
    record CounterRate(String metricName, long rangeMs) {}

    /** Expected samples matched: with an equal value, or (where the versions differ) present at all. */
    private record Counts(int equalValues, int presentOnly) {}

    static final List<RuleCase> RULES = List.of(
            new RuleCase(60_000, "job_method:http_requests:rate5m", "sum by (job, method) (rate(http_requests_total[5m]))", Labels.EMPTY),
            new RuleCase(60_000, "instance:http_requests:increase5m", "increase(http_requests_total{method=\"GET\"}[5m])", Labels.of("team", "web")),
            new RuleCase(60_000, "instance:process_cpu:irate", "irate(process_cpu_seconds_total{instance=~\"a|b|c\"}[1m])", Labels.EMPTY),
            new RuleCase(60_000, "job:memory_usage_bytes:max10m", "max by (job) (max_over_time(memory_usage_bytes[10m]))", Labels.EMPTY),
            new RuleCase(60_000, "memory_usage:big", "memory_usage_bytes offset 2m > 1e6", Labels.EMPTY),
            new RuleCase(30_000, "room:temperature_fahrenheit", "avg_over_time(temperature_celsius{room!=\"\"}[3m]) * 1.8 + 32", Labels.EMPTY),
            new RuleCase(30_000, "instances:up", "count without (instance, version) (build_info)", Labels.of("source", "build_info")),
            new RuleCase(30_000, "rooms:temperature:min", "min(min_over_time(temperature_celsius[2m])) - 0.5", Labels.EMPTY),
            // the full language, through the same per-series / per-rule split
            new RuleCase(60_000, "instance:http_requests:rate5m_by_version",
                    "sum by (instance, job) (rate(http_requests_total[5m])) * on (instance, job) group_left (version) build_info", Labels.EMPTY),
            // subquery ranges are kept off step boundaries: Prometheus 2.42 (the oracle) closes ranges on the left, 3.x does not
            new RuleCase(60_000, "job:memory_usage_bytes:max_of_sum", "max_over_time(sum by (job) (memory_usage_bytes)[9m59s:1m])", Labels.EMPTY),
            new RuleCase(60_000, "job:memory_usage_bytes:avg_of_max_default_step", "avg_over_time(max(memory_usage_bytes)[4m59s:])", Labels.EMPTY),
            new RuleCase(60_000, "http_requests:top2", "topk(2, rate(http_requests_total[5m]))", Labels.EMPTY),
            // the bucket counters start small: while the 5m range reaches before their first samples, their zero
            // points fall where 2.42 and 3.x extrapolate differently (see ExtrapolationVersions); values there are not compared
            new RuleCase(60_000, "job:request_duration_seconds:p90",
                    "histogram_quantile(0.9, sum by (job, le) (rate(request_duration_seconds_bucket[5m])))", Labels.EMPTY,
                    new CounterRate("request_duration_seconds_bucket", 5 * 60_000)),
            new RuleCase(30_000, "memory_usage_bytes:by_host",
                    "label_replace(memory_usage_bytes, \"host\", \"host-$1\", \"instance\", \"(.*)\")", Labels.EMPTY));

    final Path dir;
    final OpenMetricsTestData data;
    final Path config;

    EndToEndScenario(Path dir, String remoteWriteUrl, int parallelism, String extraJobKeys) throws IOException {
        this.dir = dir;
        this.data = OpenMetricsTestData.generate();
        Files.writeString(dir.resolve("input.om"), data.text());
        Path tenantRules = Files.createDirectories(dir.resolve("rules").resolve(TENANT));
        Files.writeString(tenantRules.resolve("e2e.yaml"), ruleFile(remoteWriteUrl));
        // a broken file beside the good one: reported, and it stops nothing
        Files.writeString(tenantRules.resolve("broken.yaml"), """
                groups:
                  - name: broken
                    rules:
                      - record: broken:sum
                        expr: sum(rate(http_requests_total[5m])
                """);
        this.config = dir.resolve("ruler.yaml");
        Files.writeString(config, """
                ruler:
                  evaluation_interval: 1m
                  poll_interval: 1s
                  storage:
                    type: local
                    local:
                      directory: ./rules
                  tenant_remote_write:
                    url: %s
                  remote_write:
                    enabled: true
                source:
                  type: openmetrics
                  openmetrics:
                    path: ./input.om
                    tenant: %s
                job:
                  parallelism: %d
                  shards: 16
                  checkpoint_interval: 300ms
                %s""".formatted(remoteWriteUrl, TENANT, parallelism, extraJobKeys == null ? "" : extraJobKeys));
    }

    /**
     * Two groups: the 1m group goes to the tenant endpoint (no remote_write), the 30s group has its own
     * remote_write with credentials in the URL (Prometheus ignores them; they must not break anything).
     */
    private static String ruleFile(String remoteWriteUrl) {
        StringBuilder y = new StringBuilder("groups:\n");
        for (long interval : new long[] {60_000, 30_000}) {
            y.append("  - name: every-").append(interval / 1000).append("s\n");
            y.append("    interval: ").append(interval / 1000).append("s\n");
            y.append("    rules:\n");
            for (RuleCase r : RULES) {
                if (r.intervalMs != interval) continue;
                y.append("      - record: ").append(r.record).append('\n');
                y.append("        expr: '").append(r.expr.replace("'", "''")).append("'\n");
                if (r.labels.size() > 0) {
                    y.append("        labels:\n");
                    for (int i = 0; i < r.labels.size(); i++) y.append("          ").append(r.labels.name(i)).append(": ").append(r.labels.value(i)).append('\n');
                }
            }
            if (interval == 30_000) {
                y.append("    remote_write:\n");
                y.append("      - url: ").append(remoteWriteUrl.replace("http://", "http://ruler:s3cret@")).append('\n');
            }
        }
        return y.toString();
    }

    /** Compares, rule by rule and sample by sample, what the receiver holds with Prometheus's own evaluation. */
    void assertReceiverMatchesOracle(PrometheusProcess receiver) {
        long first = data.startMs();
        long last = data.endMs() + 15 * 60_000;
        List<String> problems = new ArrayList<>();
        int compared = 0;
        int presentOnly = 0;
        try (PrometheusOracle oracle = PrometheusOracle.fromOpenMetrics(data.text())) {
            for (RuleCase r : RULES) {
                List<Long> timestamps = new ArrayList<>();
                for (long t = Math.floorDiv(first + r.intervalMs - 1, r.intervalMs) * r.intervalMs; t <= last; t += r.intervalMs) timestamps.add(t);
                Set<Long> versionsDiffer = versionsDiffer(r, timestamps);
                List<LabeledSample> expectedAll = oracle.recordingRuleOutput(r.record, r.labels.toMap(), r.expr, timestamps);
                TreeMap<Labels, List<Sample>> expected = PrometheusOracle.withoutStaleMarkers(expectedAll);
                Map<Labels, List<Sample>> actual = new TreeMap<>(receiver.seriesSamples(
                        "{__name__=\"" + r.record + "\"}", first - 60_000, last + 60_000));
                assertFalse(expected.isEmpty(), "the oracle computed nothing for " + r.record + ": the scenario is broken");
                Counts counts = compare(r, expected, actual, versionsDiffer, problems);
                compared += counts.equalValues();
                presentOnly += counts.presentOnly();
            }
        }
        if (!problems.isEmpty()) fail(problems.size() + " differences from Prometheus:\n" + String.join("\n", problems.subList(0, Math.min(40, problems.size()))));
        System.out.println("end-to-end: " + compared + " recorded samples equal to Prometheus's evaluation, "
                + presentOnly + " present where Prometheus 2.42 and 3.x extrapolate rates differently");
    }

    /**
     * The timestamps at which the rule's value cannot be compared with the 2.42 oracle. The difference is only
     * expected while the range reaches before the counter's first sample; anywhere else it would mean the data
     * changed, and the exception must be looked at again.
     */
    private Set<Long> versionsDiffer(RuleCase r, List<Long> timestamps) {
        if (r.versionSensitiveRate == null) return Set.of();
        CounterRate rate = r.versionSensitiveRate;
        Set<Long> differ = ExtrapolationVersions.timestampsWhereTheyDiffer(data.series(), rate.metricName(), rate.rangeMs(), timestamps);
        for (long t : differ) {
            assertTrue(t < data.startMs() + rate.rangeMs(), r.record + ": 2.42 and 3.x extrapolate " + rate.metricName()
                    + " differently at " + t + ", after its first range: check the scenario's data");
        }
        return differ;
    }

    /**
     * Compares the rule's samples, values only outside {@code versionsDiffer} (there, each expected sample must be
     * present, with any value).
     */
    private static Counts compare(RuleCase r, Map<Labels, List<Sample>> expected, Map<Labels, List<Sample>> actual,
                                 Set<Long> versionsDiffer, List<String> problems) {
        int equal = 0;
        int presentOnly = 0;
        for (Map.Entry<Labels, List<Sample>> e : expected.entrySet()) {
            List<Sample> got = actual.get(e.getKey());
            if (got == null) {
                problems.add(r.record + ": series missing: " + e.getKey());
                continue;
            }
            Map<Long, Double> gotByTs = new TreeMap<>();
            for (Sample s : got) gotByTs.put(s.timestampMs(), s.value());
            for (Sample s : e.getValue()) {
                Double v = gotByTs.remove(s.timestampMs());
                if (v == null) problems.add(r.record + ": " + e.getKey() + " missing sample at " + s.timestampMs() + " (expected " + s.value() + ")");
                else if (versionsDiffer.contains(s.timestampMs())) presentOnly++;
                else if (!close(v, s.value())) problems.add(r.record + ": " + e.getKey() + " at " + s.timestampMs() + ": got " + v + ", Prometheus " + s.value());
                else equal++;
            }
            for (Map.Entry<Long, Double> extra : gotByTs.entrySet()) {
                problems.add(r.record + ": " + e.getKey() + " unexpected sample at " + extra.getKey() + " = " + extra.getValue());
            }
        }
        for (Labels l : actual.keySet()) if (!expected.containsKey(l)) problems.add(r.record + ": unexpected series " + l);
        return new Counts(equal, presentOnly);
    }

    /**
     * Equal up to float rounding: Prometheus 3 sums with Kahan compensation, the 2.42 oracle does not,
     * so the last bits of a sum may differ.
     */
    static boolean close(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b);
        if (a == b) return true;
        return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    }

    static void assertEqualCounts(int expected, int actual, String what) { assertEquals(expected, actual, what); }
}
