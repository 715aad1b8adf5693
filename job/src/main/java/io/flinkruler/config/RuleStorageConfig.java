package io.flinkruler.config;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ruler.storage}: where the rule files of every tenant are read. With {@code local}, rules are
 * {@code <directory>/<tenant>/<namespace>.yaml}. The block of each cloud backend is kept when written
 * (null otherwise); {@code localDirectory} is an absolute path, or null when {@code local} is not set.
 * {@code flinkConfig} ({@code ruler.storage.flink_config}, flink-ruler's own) holds Flink filesystem keys
 * passed as they are, over the ones derived from the backend block (emulator endpoints, timeouts).
 */
public record RuleStorageConfig(StorageType type, String localDirectory, String prefix, S3StorageConfig s3,
                                GcsStorageConfig gcs, AzureStorageConfig azure, SwiftStorageConfig swift,
                                StorageFormat format, Map<String, String> flinkConfig)
        implements Serializable {
    public RuleStorageConfig {
        flinkConfig = java.util.Collections.unmodifiableMap(new TreeMap<>(flinkConfig));
    }

    /** Local storage in the rule-file layout, nothing else set. */
    public static RuleStorageConfig local(String directory) {
        return new RuleStorageConfig(StorageType.LOCAL, directory, "", null, null, null, null, StorageFormat.RULE_FILES, Map.of());
    }

    /** The local rules directory; IllegalStateException when storage is not local. */
    public Path localDirectoryPath() {
        if (localDirectory == null) throw new IllegalStateException("ruler.storage.local.directory is not set");
        return Path.of(localDirectory);
    }

    @Override
    public String toString() {
        return "RuleStorageConfig{type=" + type.yamlName() + ", format=" + format.yamlName()
                + (localDirectory == null ? "" : ", localDirectory=" + localDirectory)
                + (prefix.isEmpty() ? "" : ", prefix=" + prefix) + ", s3=" + s3 + ", gcs=" + gcs + ", azure=" + azure
                + ", swift=" + swift + (flinkConfig.isEmpty() ? "" : ", flinkConfig keys=" + flinkConfig.keySet()) + "}";
    }
}
