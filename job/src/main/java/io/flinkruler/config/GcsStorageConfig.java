package io.flinkruler.config;

import java.io.Serializable;

/** {@code ruler.storage.gcs}: the bucket and, optionally, service-account JSON credentials (a secret). */
public record GcsStorageConfig(String bucketName, String serviceAccount) implements Serializable {
    @Override
    public String toString() {
        return "GcsStorageConfig{bucketName=" + bucketName + (serviceAccount.isEmpty() ? "" : ", serviceAccount=<secret>") + "}";
    }
}
