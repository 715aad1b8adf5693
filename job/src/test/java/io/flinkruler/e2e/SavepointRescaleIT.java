package io.flinkruler.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.LocalRemoteWriteReceiver;
import io.flinkruler.remotewrite.ReceivedSample;
import io.flinkruler.testsupport.CliResult;
import io.flinkruler.testsupport.FlinkClusterProcess;
import io.flinkruler.testsupport.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rescaling through a savepoint on a real standalone cluster: a live job (generator, wall-clock event time) runs at
 * parallelism 1, is stopped with a savepoint ({@code flink stop}, no drain), and is restored from it at parallelism 2
 * ({@code flink run -s}), which redistributes the shards' keyed state ("tenant#shard" keys over Flink's key groups).
 * Every recorded series must then have a sample at every evaluation timestamp from its first to its last — none
 * missing across the stop, none evaluated twice with another value.
 */
class SavepointRescaleIT {
    private static final long INTERVAL_MS = 2_000;
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");
    private static final List<String> RECORDS = List.of("job:demo_requests:rate5m", "instance:demo_temperature_celsius:max", "demo:series:count");

    @TempDir
    Path dir;

    @Test
    void stopWithSavepointAndRestoreAtParallelismTwoLosesAndRepeatsNoEvaluation() throws Exception {
        Path jar = Path.of("target/flink-ruler.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "missing " + jar + ": run `mvn package` first");
        Path rules = Files.createDirectories(dir.resolve("rules/anonymous"));
        Files.writeString(rules.resolve("rules.yaml"), """
                groups:
                  - name: every-2s
                    interval: 2s
                    rules:
                      - record: job:demo_requests:rate5m
                        expr: sum by (job) (rate(demo_requests_total[5m]))
                      - record: instance:demo_temperature_celsius:max
                        expr: max by (instance) (demo_temperature_celsius)
                      - record: demo:series:count
                        expr: count({job="demo"})
                """);
        try (LocalRemoteWriteReceiver receiver = LocalRemoteWriteReceiver.start(0);
             FlinkClusterProcess cluster = FlinkClusterProcess.start()) {
            Path config = dir.resolve("ruler.yaml");
            Files.writeString(config, """
                    ruler:
                      poll_interval: 1s
                      storage: {type: local, local: {directory: ./rules}}
                      tenant_remote_write: {url: %s}
                    source:
                      type: generator
                      generator: {tenant: anonymous, targets: 4, interval: 1s, mode: live, seed: 3}
                    job: {parallelism: 1, shards: 16, checkpoint_interval: 1s}
                    """.formatted(receiver.writeUrl()));

            String first = cluster.submit(jar, "--config", config.toString());
            cluster.awaitJobState(first, Duration.ofSeconds(60), "RUNNING");
            awaitEvaluations(receiver, s -> true, 6, cluster);
            assertEquals(1, seriesStepParallelism(cluster, first));

            CliResult stop = cluster.cli(Duration.ofSeconds(120), "stop", first);
            Matcher m = SAVEPOINT.matcher(stop.output());
            assertTrue(stop.succeeded() && m.find(), "flink stop failed:\n" + stop.output() + "\n" + cluster.logTail(40));
            String savepoint = m.group(1);
            long lastBeforeStop = lastTimestamp(receiver);

            String second = cluster.submit(jar, List.of("-s", savepoint), "--config", config.toString(), "--parallelism", "2");
            cluster.awaitJobState(second, Duration.ofSeconds(60), "RUNNING");
            awaitEvaluations(receiver, s -> s.timestampMs() > lastBeforeStop, 6, cluster);
            assertEquals(2, seriesStepParallelism(cluster, second));
            CliResult cancel = cluster.cli(Duration.ofSeconds(60), "cancel", second);
            assertTrue(cancel.succeeded(), cancel.output());

            assertEveryEvaluationTimestampOnce(receiver.samples(), lastBeforeStop);
        }
    }

    /** Waits until {@code n} distinct evaluation timestamps matching {@code which} have arrived. */
    private static void awaitEvaluations(LocalRemoteWriteReceiver receiver, Predicate<ReceivedSample> which, int n, FlinkClusterProcess cluster)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (receiver.samples().stream().filter(which).map(ReceivedSample::timestampMs).distinct().count() >= n) return;
            Thread.sleep(200);
        }
        fail("fewer than " + n + " evaluation timestamps arrived in 120 s; log tails:\n" + cluster.logTail(40));
    }

    private static long lastTimestamp(LocalRemoteWriteReceiver receiver) {
        return receiver.samples().stream().mapToLong(ReceivedSample::timestampMs).max().orElseThrow();
    }

    private static int seriesStepParallelism(FlinkClusterProcess cluster, String jobId) {
        for (Object v : Json.array(Json.object(Json.parse(cluster.restGet("/jobs/" + jobId))).get("vertices"))) {
            Map<String, Object> vertex = Json.object(v);
            if (((String) vertex.get("name")).contains("series-step")) return ((Number) vertex.get("parallelism")).intValue();
        }
        throw new AssertionError("no series-step vertex in job " + jobId);
    }

    private static void assertEveryEvaluationTimestampOnce(List<ReceivedSample> samples, long lastBeforeStop) {
        Map<Labels, TreeMap<Long, Double>> bySeries = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (ReceivedSample s : samples) {
            Double before = bySeries.computeIfAbsent(s.labels(), k -> new TreeMap<>()).put(s.timestampMs(), s.value());
            if (before != null && Double.doubleToRawLongBits(before) != Double.doubleToRawLongBits(s.value())) {
                problems.add(s.labels() + " @" + s.timestampMs() + " evaluated twice: " + before + " and " + s.value());
            }
        }
        for (String record : RECORDS) {
            assertTrue(bySeries.keySet().stream().anyMatch(l -> record.equals(l.metricName())), "no series of " + record);
        }
        int total = 0;
        for (Map.Entry<Labels, TreeMap<Long, Double>> e : bySeries.entrySet()) {
            TreeMap<Long, Double> series = e.getValue();
            for (long t = series.firstKey(); t <= series.lastKey(); t += INTERVAL_MS) {
                if (!series.containsKey(t)) problems.add(e.getKey() + " has no sample at " + t + " (last before the stop: " + lastBeforeStop + ")");
            }
            assertTrue(series.firstKey() <= lastBeforeStop && series.lastKey() > lastBeforeStop + 4 * INTERVAL_MS,
                    e.getKey() + " does not span the stop: " + series.firstKey() + ".." + series.lastKey() + ", stop after " + lastBeforeStop);
            total += series.size();
        }
        if (!problems.isEmpty()) fail(problems.size() + " problems:\n" + String.join("\n", problems.subList(0, Math.min(30, problems.size()))));
        System.out.println("savepoint rescale: " + bySeries.size() + " series, " + total + " samples at every evaluation timestamp, none twice");
    }
}
