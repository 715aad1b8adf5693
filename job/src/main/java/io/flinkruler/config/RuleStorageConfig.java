package io.flinkruler.config;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * {@code ruler.storage}: where the rule files of every tenant are read. With {@code local}, rules are
 * {@code <directory>/<tenant>/<namespace>.yaml}. The block of each cloud backend is kept when written
 * (null otherwise); {@code localDirectory} is an absolute path, or null when {@code local} is not set.
 */
public record RuleStorageConfig(StorageType type, String localDirectory, String prefix, S3StorageConfig s3,
                                GcsStorageConfig gcs, AzureStorageConfig azure, SwiftStorageConfig swift)
        implements Serializable {

    /** The local rules directory; IllegalStateException when storage is not local. */
    public Path localDirectoryPath() {
        if (localDirectory == null) throw new IllegalStateException("ruler.storage.local.directory is not set");
        return Path.of(localDirectory);
    }
}
