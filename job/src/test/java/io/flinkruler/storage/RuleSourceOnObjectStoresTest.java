package io.flinkruler.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.flinkruler.rulesource.RuleFileSystems;
import io.flinkruler.rulesource.RuleGroupChange;
import io.flinkruler.rulesource.RuleSource;
import io.flinkruler.rulesource.RuleStorageLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rule source reads every storage type through Flink's filesystems, in a MiniCluster's TaskManager, with
 * nothing but the settings it was built with (the global FileSystem is never initialized with them here).
 */
@ExtendWith(ObjectStores.class)
class RuleSourceOnObjectStoresTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).setConfiguration(new Configuration()).build());

    @Test
    void s3(S3Proxy s3) throws Exception {
        readsRulesWrittenThroughTheSameLayer(s3);
    }

    @Test
    void azure(Azurite azure) throws Exception {
        readsRulesWrittenThroughTheSameLayer(azure);
    }

    @Test
    void swift(SwiftStore swift) throws Exception {
        readsRulesWrittenThroughTheSameLayer(swift);
    }

    @Test
    void gcs(GcsEmulator gcs) throws Exception {
        readsRulesWrittenThroughTheSameLayer(gcs);
    }

    private static void readsRulesWrittenThroughTheSameLayer(ObjectStore store) throws Exception {
        String bucket = "rules-" + UUID.randomUUID().toString().substring(0, 8);
        store.createBucket(bucket);
        RuleStorageLocation location = StorageTestSupport.location(store, bucket);
        for (String secret : store.environment().values()) assertFalse(location.toString().contains(secret), location.toString());

        FileSystem fs = RuleFileSystems.open(location);
        write(fs, location, "team-a/app.yaml", "groups:\n  - name: g1\n    interval: 1m\n    rules:\n      - record: a:up\n        expr: up\n");
        write(fs, location, "team-b/infra.yml", "groups:\n  - name: g2\n    interval: 30s\n    rules:\n      - record: b:up\n        expr: sum(up)\n");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        List<RuleGroupChange> got = env.fromSource(RuleSource.once(location), WatermarkStrategy.noWatermarks(), "rules")
                .setParallelism(1).executeAndCollect(10);
        assertEquals(List.of("ADDED team-a/app/g1", "ADDED team-b/infra/g2"), got.stream().map(Object::toString).toList(), store.toString());
        assertEquals(30_000L, got.get(1).group().intervalMs());
    }

    static void write(FileSystem fs, RuleStorageLocation location, String relative, String text) throws IOException {
        Path path = new Path(location.root().replaceAll("/+$", "") + "/" + relative);
        try (FSDataOutputStream out = fs.create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
