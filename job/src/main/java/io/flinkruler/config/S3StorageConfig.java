package io.flinkruler.config;

import java.io.Serializable;
import java.util.List;

/**
 * {@code ruler.storage.s3}, in the Cortex/GEM names ({@code bucketnames}, {@code s3forcepathstyle}, ...;
 * Mimir's {@code bucket_name} is accepted too). {@code s3Url} is the legacy {@code s3:} URL form.
 */
public record S3StorageConfig(String endpoint, String region, List<String> bucketNames, String accessKeyId,
                              String secretAccessKey, boolean insecure, boolean forcePathStyle, String s3Url,
                              String signatureVersion) implements Serializable {
    public S3StorageConfig {
        bucketNames = List.copyOf(bucketNames);
    }

    @Override
    public String toString() {
        return "S3StorageConfig{endpoint=" + endpoint + ", region=" + region + ", bucketNames=" + bucketNames
                + ", accessKeyId=" + accessKeyId + ", secretAccessKey=" + (secretAccessKey.isEmpty() ? "" : "<secret>")
                + ", insecure=" + insecure + ", forcePathStyle=" + forcePathStyle + "}";
    }
}
