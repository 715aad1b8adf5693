package io.flinkruler.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.config.RulerConfig;
import io.flinkruler.job.PipelineSettings;
import io.flinkruler.job.PipelineSettingsFactory;
import io.flinkruler.job.RulerJob;
import io.flinkruler.remotewrite.LocalRemoteWriteReceiver;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.remotewrite.ReceivedSample;
import io.flinkruler.testsupport.PrometheusProcess;
import io.flinkruler.testsupport.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job fails once mid-stream — after checkpoints have completed and results were delivered — and
 * restarts from the last checkpoint. The receiver must then hold exactly what an undisturbed run
 * delivers: every sample, no other sample, and re-sent samples only as identical duplicates.
 */
class FailoverTest {
    private static final long START = 1_577_836_800_000L; // 2020-01-01T00:00:00Z
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    @Test
    void failureMidStreamLosesNothingAndAddsNothing() throws Exception {
        Map<String, Double> undisturbed = run("undisturbed", null, null);
        Path marker = dir.resolve("failed-once");
        PipelineSettings.FailureInjection failOnce = new PipelineSettings.FailureInjection(marker.toString(), START + HOUR / 2);
        Map<String, Double> failedOnce = run("failover", failOnce, null);

        assertTrue(Files.exists(failOnce.marker(0)), "the injected failure did not happen: no checkpoint completed before mid-stream?");
        assertTrue(undisturbed.size() > 1000, "too little output to be meaningful: " + undisturbed.size());
        assertEquals(undisturbed, failedOnce, "samples after failover differ from the undisturbed run");
    }

    /**
     * Killed three times mid-stream, through a real Prometheus: its TSDB holds exactly the undisturbed run's
     * samples (read back with range selections over the whole run; stale markers are hidden by queries).
     */
    @Test
    void prometheusHoldsEveryExpectedSampleAndNothingElseAfterFailover() throws Exception {
        Map<String, Double> expected = new TreeMap<>();
        run("undisturbed", null, null).forEach((k, v) -> { if (!StaleMarker.is(v)) expected.put(k, v); });
        Path marker = dir.resolve("failed-once-prometheus");
        try (PrometheusProcess prometheus = PrometheusProcess.start(dir.resolve("prometheus"))) {
            PipelineSettings.FailureInjection threeTimes = new PipelineSettings.FailureInjection(marker.toString(), START + HOUR / 4, 3, HOUR / 4);
            run("failover-prometheus", threeTimes, prometheus.remoteWriteUrl());
            for (int k = 0; k < 3; k++) assertTrue(Files.exists(threeTimes.marker(k)), "injected failure " + (k + 1) + " did not happen");
            Map<String, Double> stored = new TreeMap<>();
            for (String record : RECORDS) {
                prometheus.seriesSamples("{__name__=\"" + record + "\"}", START - 60_000, START + 2 * HOUR).forEach((labels, samples) -> {
                    for (Sample s : samples) stored.put(labels + " @" + s.timestampMs(), s.value());
                });
            }
            assertEquals(expected, stored, "Prometheus's TSDB after failover differs from the undisturbed run");
        }
    }

    private static final List<String> RECORDS = List.of("job_status:demo_requests:rate5m", "instance:demo_requests:increase2m",
            "job:demo_request_duration_seconds:p90", "instance:demo_temperature_celsius:max5m");

    /** Runs the job over one hour of generated data; returns (series @ timestamp) -> value as received. */
    private Map<String, Double> run(String name, PipelineSettings.FailureInjection injection, String remoteWriteUrl) throws Exception {
        Path work = Files.createDirectories(dir.resolve(name));
        Path rules = Files.createDirectories(work.resolve("rules/anonymous"));
        Files.writeString(rules.resolve("rules.yaml"), """
                groups:
                  - name: requests
                    interval: 1m
                    rules:
                      - record: job_status:demo_requests:rate5m
                        expr: sum by (job, status) (rate(demo_requests_total[5m]))
                      - record: instance:demo_requests:increase2m
                        expr: sum by (instance) (increase(demo_requests_total[2m]))
                  - name: latency
                    interval: 30s
                    rules:
                      - record: job:demo_request_duration_seconds:p90
                        expr: histogram_quantile(0.9, sum by (job, le) (rate(demo_request_duration_seconds_bucket[5m])))
                      - record: instance:demo_temperature_celsius:max5m
                        expr: max_over_time(demo_temperature_celsius[5m])
                """);
        try (LocalRemoteWriteReceiver receiver = LocalRemoteWriteReceiver.start(0)) {
            Path config = work.resolve("ruler.yaml");
            Files.writeString(config, """
                    ruler:
                      storage: {type: local, local: {directory: ./rules}}
                      tenant_remote_write: {url: %s}
                    source:
                      type: generator
                      generator: {tenant: anonymous, targets: 40, interval: 15s, mode: fast, start: %d, duration: 1h, seed: 7}
                    job: {parallelism: 2, shards: 32, checkpoint_interval: 100ms}
                    """.formatted(remoteWriteUrl != null ? remoteWriteUrl : receiver.writeUrl(), START));
            PipelineSettings settings = PipelineSettingsFactory.from(RulerConfig.load(config), null);
            if (injection != null) settings = settings.withFailureInjection(injection);
            RulerJob.execute(settings);
            Map<String, Double> byKey = new TreeMap<>();
            for (ReceivedSample s : receiver.samples()) {
                String key = s.labels() + " @" + s.timestampMs();
                Double previous = byKey.put(key, s.value());
                if (previous != null && Double.doubleToRawLongBits(previous) != Double.doubleToRawLongBits(s.value())) {
                    throw new AssertionError("a re-sent sample differs: " + key + " was " + previous + ", now " + s.value());
                }
            }
            System.out.println(name + ": " + receiver.samples().size() + " samples received, " + byKey.size() + " distinct");
            return byKey;
        }
    }

}
