package io.flinkruler.storage;

import io.flinkruler.config.RulerConfig;
import io.flinkruler.rulesource.RuleStorageLocation;

/** Configs and locations of test buckets. */
final class StorageTestSupport {
    static {
        // the object-store filesystems, copied there by the build (job/pom.xml, execution filesystem-plugins)
        System.setProperty(io.flinkruler.rulesource.RuleFileSystems.PLUGINS_DIR_PROPERTY,
                java.nio.file.Path.of(System.getProperty("user.dir"), "target", "plugins").toString());
    }

    private StorageTestSupport() {}

    /** A minimal ruler config whose storage is {@code bucket} of {@code store}. */
    static String rulerYaml(ObjectStore store, String bucket) {
        return "ruler:\n  poll_interval: 1s\n" + store.storageBlock(bucket);
    }

    static RulerConfig config(ObjectStore store, String bucket) {
        try {
            return RulerConfig.parse("ruler.yaml", rulerYaml(store, bucket), store.environment());
        } catch (io.flinkruler.config.ConfigException e) {
            throw new IllegalStateException(String.join("\n", e.errors()), e);
        }
    }

    static RuleStorageLocation location(ObjectStore store, String bucket) {
        return RuleStorageLocations.of(config(store, bucket).ruler().storage());
    }
}
