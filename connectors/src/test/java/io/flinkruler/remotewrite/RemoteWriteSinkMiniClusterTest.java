package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bounded job through {@link RemoteWriteSink} (parallelism 2, checkpoints every 200 ms, no generic types). */
class RemoteWriteSinkMiniClusterTest {
    private static final long T0 = 1_767_225_600_000L;
    private static final int STEPS = 60;

    @Test
    void everySampleArrivesExactlyAsSentInOrderPerSeries() throws Exception {
        try (LocalRemoteWriteReceiver receiver = LocalRemoteWriteReceiver.start(0)) {
            List<WriteBatch> batches = new ArrayList<>();
            Map<String, List<ReceivedSample>> expectedPerSeries = new HashMap<>();
            for (int step = 0; step < STEPS; step++) {
                for (String group : List.of("g1", "g2", "g3")) {
                    String tenant = group.equals("g3") ? "team-b" : "team-a";
                    RemoteWriteConfig target = receiver.endpoint().withHeader("X-Scope-OrgID", tenant);
                    Labels[] series = {
                            Labels.of("__name__", group + ":requests:rate5m", "job", "api"),
                            Labels.of("__name__", group + ":errors:ratio", "job", "api", "code", "500")};
                    long t = T0 + step * 15_000L;
                    double second = step % 10 == 9 ? StaleMarker.VALUE : step % 7 == 3 ? Double.NaN : 1.0 / (step + 1);
                    double[] values = {step * 0.5, second};
                    batches.add(new WriteBatch(tenant, List.of(target), series, new long[] {t, t}, values));
                    for (int i = 0; i < series.length; i++) {
                        expectedPerSeries.computeIfAbsent(tenant + series[i], k -> new ArrayList<>())
                                .add(new ReceivedSample(tenant, series[i], t, values[i]));
                    }
                }
            }

            Configuration config = new Configuration();
            config.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, config);
            env.enableCheckpointing(200);
            env.fromData(batches)
                    // The job keys by rule group so that a series always reaches the same writer subtask.
                    .keyBy(batch -> batch.series(0).metricName().split(":")[0], Types.STRING)
                    .sinkTo(RemoteWriteSink.builder()
                            .maxSamplesPerSend(5)
                            .minBackoff(Duration.ofMillis(1))
                            .maxBackoff(Duration.ofMillis(10))
                            .build())
                    .name("remote-write")
                    .uid("remote-write");
            env.execute("remote-write sink test");

            Map<String, List<ReceivedSample>> receivedPerSeries = new HashMap<>();
            for (ReceivedSample sample : receiver.samples()) {
                receivedPerSeries.computeIfAbsent(sample.tenant() + sample.labels(), k -> new ArrayList<>()).add(sample);
            }
            assertEquals(expectedPerSeries.keySet(), receivedPerSeries.keySet());
            for (String series : expectedPerSeries.keySet()) {
                assertEquals(expectedPerSeries.get(series), receivedPerSeries.get(series), series);
            }
            assertEquals(STEPS * 6, receiver.acceptedSampleCount());
            for (ReceivedRequest request : receiver.requests()) {
                assertTrue(request.accepted());
                assertTrue(request.sampleCount() <= 5, "at most max_samples_per_send per request: " + request);
            }
        }
    }
}
