package io.flinkruler.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkruler.config.RulerConfig;
import io.flinkruler.job.PipelineSettings;
import io.flinkruler.job.PipelineSettingsFactory;
import io.flinkruler.job.RulerJob;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.remotewrite.LocalRemoteWriteReceiver;
import io.flinkruler.remotewrite.ReceivedSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files come series by series: a shard may first see a series that starts late and only then one
 * that starts early. Every evaluation timestamp from the earliest sample on must still be evaluated.
 * One shard and one sample per batch make the order of arrival exactly the file's.
 */
class FileOrderTest {
    private static final long T0 = 1_577_836_800_000L;

    @TempDir
    Path dir;

    private static String seconds(long ms) { return (ms / 1000) + "." + String.format("%03d", ms % 1000); }

    @Test
    void anEarlierSeriesAfterALaterOneIsEvaluatedFromItsStart() throws Exception {
        StringBuilder om = new StringBuilder();
        for (long t = T0 + 600_000 + 5_000; t < T0 + 1_200_000; t += 15_000) om.append("late_metric 1 ").append(seconds(t)).append('\n');
        for (long t = T0 + 5_000; t < T0 + 1_200_000; t += 15_000) om.append("early_metric 2 ").append(seconds(t)).append('\n');
        om.append("# EOF\n");
        Files.writeString(dir.resolve("input.om"), om);
        Path rules = Files.createDirectories(dir.resolve("rules/t"));
        Files.writeString(rules.resolve("r.yaml"), """
                groups:
                  - name: g
                    interval: 1m
                    rules:
                      - record: early:copy
                        expr: early_metric
                """);
        try (LocalRemoteWriteReceiver receiver = LocalRemoteWriteReceiver.start(0)) {
            Files.writeString(dir.resolve("ruler.yaml"), """
                    ruler:
                      storage: {type: local, local: {directory: ./rules}}
                      tenant_remote_write: {url: %s}
                    source:
                      type: openmetrics
                      openmetrics: {path: ./input.om, tenant: t}
                    job: {parallelism: 1, shards: 1, checkpoint_interval: 1s}
                    """.formatted(receiver.writeUrl()));
            PipelineSettings s = PipelineSettingsFactory.from(RulerConfig.load(dir.resolve("ruler.yaml")), null);
            PipelineSettings oneSamplePerBatch = new PipelineSettings(s.parallelism(), s.shards(), 1, s.checkpointIntervalMs(),
                    s.outOfOrdernessMs(), s.evaluationDefaults(), s.tenantRemoteWrite(), s.maxSamplesPerSend(), s.ruleStorage(),
                    s.pollIntervalMs(), s.samples(), null);
            RulerJob.execute(oneSamplePerBatch);

            TreeMap<Long, Double> got = new TreeMap<>();
            for (ReceivedSample r : receiver.samples()) if (!StaleMarker.is(r.value())) got.put(r.timestampMs(), r.value());
            List<Long> expected = new ArrayList<>();
            // 00:01 .. 00:24: the last sample (00:19:50) is visible for the 5m lookback
            for (long t = T0 + 60_000; t <= T0 + 1_440_000; t += 60_000) expected.add(t);
            assertEquals(expected, new ArrayList<>(got.keySet()));
        }
    }
}
