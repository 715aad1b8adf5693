package io.flinkruler.config;

import java.io.Serializable;

/** {@code ruler.storage.azure}: Cortex's {@code environment} or Mimir's {@code endpoint_suffix} select the cloud. */
public record AzureStorageConfig(String environment, String accountName, String accountKey, String containerName,
                                 String endpointSuffix) implements Serializable {
    @Override
    public String toString() {
        return "AzureStorageConfig{accountName=" + accountName + ", containerName=" + containerName
                + (accountKey.isEmpty() ? "" : ", accountKey=<secret>")
                + (endpointSuffix.isEmpty() ? "" : ", endpointSuffix=" + endpointSuffix)
                + (environment.isEmpty() ? "" : ", environment=" + environment) + "}";
    }
}
