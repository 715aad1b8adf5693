package io.flinkruler.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The Cloud Storage emulator of firebase-tools (scripts/start-gcs.sh): no authentication, buckets appear with their
 * first object. firebase-tools is a 300 MB npm install that `scripts/install-test-deps.sh` makes only when asked
 * (argument {@code gcs} or GCS_EMULATOR=1): without it the GCS tests are skipped, not failed.
 */
final class GcsEmulator extends ObjectStore {
    private GcsEmulator(Path dataDir, int port, long millis) { super(dataDir, port, millis); }

    static boolean installed() {
        String cache = System.getenv().getOrDefault("FLINK_RULER_CACHE", System.getProperty("user.home") + "/.cache/flink-ruler");
        return Files.isDirectory(Path.of(cache, "firebase-tools-15.34.2", "node_modules", "firebase-tools", "lib", "emulator"));
    }

    static GcsEmulator start() {
        Assumptions.assumeTrue(installed(), "GCS emulator not installed: scripts/install-test-deps.sh gcs");
        Started s = ObjectStore.start("start-gcs.sh", "gcs", null);
        return new GcsEmulator(s.dataDir(), s.port(), s.millis());
    }

    @Override
    String type() { return "gcs"; }

    /** The emulator settings are flink_config keys: GEM's gcs block has no endpoint. */
    @Override
    String storageYaml(String bucket) {
        return """
                    gcs:
                      bucket_name: %s
                    flink_config:
                      gs.storage.root.url: http://127.0.0.1:%d/
                      gs.storage.service.path: storage/v1/
                      gs.auth.service.account.enable: "false"
                      gs.auth.null.enable: "true"
                      gs.project.id: demo-test
                      gs.implicit.dir.repair.enable: "false"
                """.formatted(bucket, port);
    }

    @Override
    void createBucket(String bucket) {}
}
