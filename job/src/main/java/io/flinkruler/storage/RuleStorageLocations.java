package io.flinkruler.storage;

import io.flinkruler.config.AzureStorageConfig;
import io.flinkruler.config.GcsStorageConfig;
import io.flinkruler.config.RuleStorageConfig;
import io.flinkruler.config.S3StorageConfig;
import io.flinkruler.config.StorageFormat;
import io.flinkruler.config.SwiftStorageConfig;
import io.flinkruler.rulesource.RuleStorageLayout;
import io.flinkruler.rulesource.RuleStorageLocation;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns {@code ruler.storage} (GEM/Mimir key names) into a {@link RuleStorageLocation}: the root URI of one of
 * Flink's filesystems and the Flink configuration keys that filesystem reads.
 * <ul>
 *   <li>{@code s3}: {@code s3://<bucketnames[0]>/<prefix>} through flink-s3-fs-hadoop ({@code s3.endpoint},
 *       http when {@code insecure}, {@code s3.path.style.access}, {@code s3.access-key}, {@code s3.secret-key},
 *       {@code s3.endpoint.region}).</li>
 *   <li>{@code gcs}: {@code gs://<bucket_name>/<prefix>} through flink-gs-fs-hadoop; {@code service_account}
 *       (JSON) becomes a private key file.</li>
 *   <li>{@code azure}: {@code wasbs://<container>@<account>.<endpoint suffix>/<prefix>} through
 *       flink-azure-fs-hadoop with the account key; the development account {@code devstoreaccount1}
 *       (Azurite, the storage emulator) is {@code wasb://} on 127.0.0.1:10000.</li>
 *   <li>{@code swift}: {@code swift://<container_name>/<prefix>} through flink-ruler's own filesystem
 *       ({@code swift.*} keys, named as in the block).</li>
 *   <li>{@code local}: a {@code file://} URI of {@code <directory>/<prefix>}.</li>
 * </ul>
 * {@code ruler.storage.flink_config} keys are added last and win.
 */
public final class RuleStorageLocations {
    static final String DEFAULT_AZURE_SUFFIX = "blob.core.windows.net";
    static final String AZURE_DEVELOPMENT_ACCOUNT = "devstoreaccount1";

    private RuleStorageLocations() {}

    public static RuleStorageLocation of(RuleStorageConfig storage) {
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, String> secretFiles = new LinkedHashMap<>();
        String root = switch (storage.type()) {
            case LOCAL -> local(storage);
            case S3 -> s3(require(storage.s3(), "s3"), storage.prefix(), keys);
            case GCS -> gcs(require(storage.gcs(), "gcs"), storage.prefix(), secretFiles);
            case AZURE -> azure(require(storage.azure(), "azure"), storage.prefix(), keys);
            case SWIFT -> swift(require(storage.swift(), "swift"), storage.prefix(), keys);
        };
        keys.putAll(storage.flinkConfig());
        RuleStorageLayout layout = storage.format() == StorageFormat.MIMIR ? RuleStorageLayout.MIMIR : RuleStorageLayout.RULE_FILES;
        return new RuleStorageLocation(root, keys, secretFiles, layout);
    }

    private static <T> T require(T block, String name) {
        if (block == null) throw new IllegalArgumentException("ruler.storage.type is " + name + " but ruler.storage." + name + " is not set");
        return block;
    }

    private static String local(RuleStorageConfig storage) {
        Path dir = storage.localDirectoryPath().toAbsolutePath();
        if (!storage.prefix().isEmpty()) dir = dir.resolve(storage.prefix());
        return dir.normalize().toUri().toString();
    }

    private static String s3(S3StorageConfig s3, String prefix, Map<String, String> keys) {
        String bucket;
        String endpoint = s3.endpoint();
        String region = s3.region();
        String accessKey = s3.accessKeyId();
        String secretKey = s3.secretAccessKey();
        if (!s3.bucketNames().isEmpty()) {
            bucket = s3.bucketNames().get(0);
        } else {
            // Cortex's legacy form: s3://[key:secret@]<region or endpoint>/<bucket>
            URI url = URI.create(s3.s3Url());
            String path = url.getPath() == null ? "" : url.getPath().replaceAll("^/+|/+$", "");
            if (path.isEmpty()) throw new IllegalArgumentException("ruler.storage.s3.s3 names no bucket (s3://<region or endpoint>/<bucket>)");
            bucket = path;
            String host = url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost();
            if (host != null && (host.contains(".") || host.contains(":"))) {
                if (endpoint.isEmpty()) endpoint = host;
            } else if (host != null && region.isEmpty()) {
                region = host;
            }
            String userInfo = url.getRawUserInfo();
            if (userInfo != null && accessKey.isEmpty()) {
                int colon = userInfo.indexOf(':');
                accessKey = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                if (colon >= 0) secretKey = decode(userInfo.substring(colon + 1));
            }
        }
        if (!endpoint.isEmpty()) {
            keys.put("s3.endpoint", endpoint.contains("://") ? endpoint : (s3.insecure() ? "http://" : "https://") + endpoint);
        }
        if (s3.forcePathStyle()) keys.put("s3.path.style.access", "true");
        if (!region.isEmpty()) keys.put("s3.endpoint.region", region);
        if (!accessKey.isEmpty()) keys.put("s3.access-key", accessKey);
        if (!secretKey.isEmpty()) keys.put("s3.secret-key", secretKey);
        // S3A otherwise deletes parent "directory" markers on every write: extra requests, and with some
        // S3 implementations (s3proxy's filesystem backend) endless retries.
        keys.put("s3.directory.marker.retention", "keep");
        return "s3://" + bucket + "/" + prefix;
    }

    private static String gcs(GcsStorageConfig gcs, String prefix, Map<String, String> secretFiles) {
        if (!gcs.serviceAccount().isEmpty()) secretFiles.put("gs.auth.service.account.json.keyfile", gcs.serviceAccount());
        return "gs://" + gcs.bucketName() + "/" + prefix;
    }

    private static String azure(AzureStorageConfig azure, String prefix, Map<String, String> keys) {
        if (azure.accountName().isEmpty()) throw new IllegalArgumentException("ruler.storage.azure.account_name is required");
        String host = azure.accountName() + "." + azureSuffix(azure);
        String scheme = "wasbs";
        if (azure.accountName().equals(AZURE_DEVELOPMENT_ACCOUNT)) {
            // The storage emulator (Azurite): WASB then talks http to 127.0.0.1:10000 with the well-known key.
            scheme = "wasb";
            keys.put("fs.azure.storage.emulator.account.name", host);
        } else if (!azure.accountKey().isEmpty()) {
            keys.put("fs.azure.account.key." + host, azure.accountKey());
        }
        return scheme + "://" + azure.containerName() + "@" + host + "/" + prefix;
    }

    static String azureSuffix(AzureStorageConfig azure) {
        if (!azure.endpointSuffix().isEmpty()) return azure.endpointSuffix();
        return switch (azure.environment().toLowerCase(Locale.ROOT)) {
            case "", "azureglobal" -> DEFAULT_AZURE_SUFFIX;
            case "azurechinacloud" -> "blob.core.chinacloudapi.cn";
            case "azuregermancloud" -> "blob.core.cloudapi.de";
            case "azureusgovernment" -> "blob.core.usgovcloudapi.net";
            default -> throw new IllegalArgumentException("ruler.storage.azure.environment " + azure.environment()
                    + " is unknown: use AzureGlobal, AzureChinaCloud, AzureGermanCloud, AzureUSGovernment or endpoint_suffix");
        };
    }

    private static String swift(SwiftStorageConfig swift, String prefix, Map<String, String> keys) {
        if (swift.authVersion() != 0) keys.put("swift.auth_version", Integer.toString(swift.authVersion()));
        putIfSet(keys, "swift.auth_url", swift.authUrl());
        putIfSet(keys, "swift.username", swift.username());
        putIfSet(keys, "swift.user_domain_name", swift.userDomainName());
        putIfSet(keys, "swift.user_domain_id", swift.userDomainId());
        putIfSet(keys, "swift.user_id", swift.userId());
        putIfSet(keys, "swift.password", swift.password());
        putIfSet(keys, "swift.domain_id", swift.domainId());
        putIfSet(keys, "swift.domain_name", swift.domainName());
        putIfSet(keys, "swift.project_id", swift.projectId());
        putIfSet(keys, "swift.project_name", swift.projectName());
        putIfSet(keys, "swift.project_domain_id", swift.projectDomainId());
        putIfSet(keys, "swift.project_domain_name", swift.projectDomainName());
        putIfSet(keys, "swift.region_name", swift.regionName());
        putIfSet(keys, "swift.container_name", swift.containerName());
        return "swift://" + swift.containerName() + "/" + prefix;
    }

    private static void putIfSet(Map<String, String> keys, String key, String value) {
        if (value != null && !value.isEmpty()) keys.put(key, value);
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
