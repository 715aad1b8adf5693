package io.flinkruler.config;

import java.io.Serializable;

/** {@code ruler.storage.swift}: OpenStack Swift (Keystone v1/v2/v3 identity fields as Cortex names them). */
public record SwiftStorageConfig(int authVersion, String authUrl, String username, String userDomainName,
                                 String userDomainId, String userId, String password, String domainId,
                                 String domainName, String projectId, String projectName, String projectDomainId,
                                 String projectDomainName, String regionName, String containerName) implements Serializable {
    @Override
    public String toString() {
        return "SwiftStorageConfig{authUrl=" + authUrl + ", username=" + username + ", containerName=" + containerName
                + (password.isEmpty() ? "" : ", password=<secret>") + ", projectName=" + projectName
                + ", regionName=" + regionName + "}";
    }
}
