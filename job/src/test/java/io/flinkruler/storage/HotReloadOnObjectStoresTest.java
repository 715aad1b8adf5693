package io.flinkruler.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.cli.Main;
import io.flinkruler.config.RulerConfig;
import io.flinkruler.job.PipelineSettings;
import io.flinkruler.job.PipelineSettingsFactory;
import io.flinkruler.job.RulerPipeline;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.remotewrite.LocalRemoteWriteReceiver;
import io.flinkruler.remotewrite.ReceivedSample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on every storage backend, on real servers: {@code rules sync} puts rules into a bucket, a running
 * job (live generator, local MiniCluster, continuous rule source) records them into a remote-write receiver;
 * then the rules change and are deleted in the bucket, and the recorded series follow: the old value up to one
 * evaluation timestamp and the new one from there (never both at one timestamp), then a staleness marker and
 * nothing more.
 */
@ExtendWith(ObjectStores.class)
class HotReloadOnObjectStoresTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void s3(S3Proxy s3) throws Exception {
        hotReload(s3, "");
    }

    @Test
    void s3InMimirLayout(S3Proxy s3) throws Exception {
        hotReload(s3, "    format: mimir\n    prefix: gem\n");
    }

    @Test
    void azure(Azurite azure) throws Exception {
        hotReload(azure, "");
    }

    @Test
    void swift(SwiftStore swift) throws Exception {
        hotReload(swift, "");
    }

    @Test
    void gcs(GcsEmulator gcs) throws Exception {
        hotReload(gcs, "");
    }

    @Test
    void localFolder() throws Exception {
        hotReload(null, "");
    }

    private void hotReload(ObjectStore store, String extraStorageKeys) throws Exception {
        String bucket = "rules-" + UUID.randomUUID().toString().substring(0, 8);
        String storage = store == null
                ? "  storage:\n    type: local\n    local: {directory: ./bucket}\n"
                : withSecrets(store.storageBlock(bucket), store.environment());
        if (store != null) store.createBucket(bucket);
        try (LocalRemoteWriteReceiver receiver = LocalRemoteWriteReceiver.start(0, new PrintStream(new ByteArrayOutputStream()))) {
            Path config = dir.resolve("ruler.yaml");
            Files.writeString(config, "ruler:\n  poll_interval: 1s\n" + storage + extraStorageKeys + """
                      tenant_remote_write: {url: %s}
                    source:
                      type: generator
                      generator: {tenant: team-a, targets: 2, interval: 1s, mode: live}
                    job: {parallelism: 1, shards: 4, checkpoint_interval: 500ms, out_of_orderness: 0s}
                    """.formatted(receiver.writeUrl()));
            Path app = dir.resolve("app.yaml");
            Path other = dir.resolve("other.yaml");
            Files.writeString(app, group("targets", "demo:targets", "count(demo_temperature_celsius)"));
            Files.writeString(other, group("other", "demo:targets_plus_one", "count(demo_temperature_celsius) + 1"));
            sync(config, app);

            JobClient job = start(config);
            try {
                await(receiver, s -> name(s, "demo:targets") && s.value() == 2, "the synced rule's output");
                Files.writeString(app, group("targets", "demo:targets", "count(demo_temperature_celsius) * 10"));
                sync(config, app);
                await(receiver, s -> name(s, "demo:targets") && s.value() == 20, "the changed rule's output");
                sync(config, other, "--delete");
                await(receiver, s -> name(s, "demo:targets") && StaleMarker.is(s.value()), "a staleness marker of the deleted group");
                await(receiver, s -> name(s, "demo:targets_plus_one") && s.value() == 3, "the new group's output");
                Thread.sleep(2500); // two more evaluation intervals: the deleted group must stay silent
            } finally {
                job.cancel().get();
            }
            assertRecordedSeriesFollowTheRules(receiver.samples());
        }
    }

    private static void assertRecordedSeriesFollowTheRules(List<ReceivedSample> received) {
        List<ReceivedSample> targets = received.stream().filter(s -> name(s, "demo:targets"))
                .sorted(java.util.Comparator.comparingLong(ReceivedSample::timestampMs)).toList();
        long last2 = targets.stream().filter(s -> s.value() == 2).mapToLong(ReceivedSample::timestampMs).max().orElseThrow();
        long first20 = targets.stream().filter(s -> s.value() == 20).mapToLong(ReceivedSample::timestampMs).min().orElseThrow();
        long last20 = targets.stream().filter(s -> s.value() == 20).mapToLong(ReceivedSample::timestampMs).max().orElseThrow();
        List<ReceivedSample> stale = targets.stream().filter(s -> StaleMarker.is(s.value())).toList();
        assertTrue(last2 < first20, "old version up to one timestamp, the new one from the next: " + targets);
        assertEquals(1, stale.size(), "one staleness marker: " + targets);
        assertTrue(stale.get(0).timestampMs() > last20, "the marker comes after the group's last output: " + targets);
        assertEquals(stale.get(0), targets.get(targets.size() - 1), "nothing after the marker: " + targets);
        for (ReceivedSample s : targets) {
            assertEquals(0, s.timestampMs() % 2000, "evaluation timestamps are multiples of the group's interval: " + s);
            assertTrue(s.value() == 2 || s.value() == 20 || StaleMarker.is(s.value()), "never a mix: " + s);
        }
        assertEquals(targets.size(), targets.stream().map(ReceivedSample::timestampMs).distinct().count(), "one sample per timestamp");
        long firstOther = received.stream().filter(s -> name(s, "demo:targets_plus_one")).mapToLong(ReceivedSample::timestampMs).min().orElseThrow();
        assertTrue(firstOther > last20, "the new group starts after the poll that saw it");
    }

    private static boolean name(ReceivedSample s, String metric) {
        return metric.equals(s.labels().metricName());
    }

    private static String group(String name, String record, String expr) {
        return "groups:\n  - name: " + name + "\n    interval: 2s\n    rules:\n      - record: " + record + "\n        expr: " + expr + "\n";
    }

    /** The CLI reads the config file with the process environment: secrets go in as values here. */
    private static String withSecrets(String yaml, Map<String, String> env) {
        for (Map.Entry<String, String> e : env.entrySet()) yaml = yaml.replace("${" + e.getKey() + "}", e.getValue());
        return yaml;
    }

    private static void sync(Path config, Path file, String... more) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String[] args = {"rules", "sync", "--rule-files", file.toString(), "--tenant", "team-a", "--config", config.toString()};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more)).toArray(String[]::new);
        int code = Main.run(all, out, out);
        assertEquals(0, code, bytes.toString(StandardCharsets.UTF_8));
    }

    private static JobClient start(Path config) throws Exception {
        PipelineSettings settings = PipelineSettingsFactory.from(RulerConfig.load(config), null);
        Configuration conf = new Configuration();
        conf.setString("pipeline.generic-types", "false");
        conf.setString("execution.checkpointing.interval", settings.checkpointIntervalMs() + " ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(settings.parallelism());
        RulerPipeline.build(env, settings);
        return env.executeAsync("hot-reload");
    }

    private static void await(LocalRemoteWriteReceiver receiver, Predicate<ReceivedSample> what, String description) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (receiver.samples().stream().anyMatch(what)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("no " + description + " after " + WAIT + "; received: " + receiver.samples());
    }
}
