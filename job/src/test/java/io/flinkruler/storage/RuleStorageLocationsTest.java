package io.flinkruler.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flinkruler.config.ConfigException;
import io.flinkruler.config.RulerConfig;
import io.flinkruler.rulesource.RuleStorageLayout;
import io.flinkruler.rulesource.RuleStorageLocation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** From GEM/Mimir storage blocks to Flink filesystem roots and keys. */
class RuleStorageLocationsTest {
    private static RuleStorageLocation of(String storageYaml) throws ConfigException {
        return of(storageYaml, Map.of());
    }

    private static RuleStorageLocation of(String storageYaml, Map<String, String> env) throws ConfigException {
        RulerConfig config = RulerConfig.parse("/etc/ruler/ruler.yaml", "ruler:\n  storage:\n" + storageYaml.indent(4), env);
        return RuleStorageLocations.of(config.ruler().storage());
    }

    @Test
    void s3WithEndpointInsecureAndPathStyle() throws Exception {
        RuleStorageLocation l = of("""
                type: s3
                prefix: ruler
                s3: {endpoint: "minio:9000", insecure: true, s3forcepathstyle: true, region: eu-west-1,
                     bucketnames: "rules-a, rules-b", access_key_id: AKID, secret_access_key: "${S3_SECRET}"}
                """, Map.of("S3_SECRET", "hush-hush"));
        assertEquals("s3://rules-a/ruler", l.root());
        assertEquals(Map.of("s3.endpoint", "http://minio:9000", "s3.path.style.access", "true", "s3.endpoint.region", "eu-west-1",
                "s3.access-key", "AKID", "s3.secret-key", "hush-hush", "s3.directory.marker.retention", "keep"), l.flinkConfig());
        assertFalse(l.toString().contains("hush-hush"), l.toString());
        assertEquals(RuleStorageLayout.RULE_FILES, l.layout());
    }

    @Test
    void s3DefaultsToHttpsAndTheAwsEndpoint() throws Exception {
        RuleStorageLocation l = of("type: s3\ns3: {endpoint: s3.amazonaws.com, bucketnames: b}\n");
        assertEquals("s3://b/", l.root());
        assertEquals("https://s3.amazonaws.com", l.flinkConfig().get("s3.endpoint"));
        assertEquals(null, l.flinkConfig().get("s3.path.style.access"));
        assertEquals(null, l.flinkConfig().get("s3.access-key"), "no keys: S3A's default credential chain (IAM roles)");
    }

    @Test
    void s3LegacyUrlForm() throws Exception {
        RuleStorageLocation l = of("type: s3\ns3: {s3: \"s3://key:se%2Fcret@us-east-2/my-rules\"}\n");
        assertEquals("s3://my-rules/", l.root());
        assertEquals("us-east-2", l.flinkConfig().get("s3.endpoint.region"));
        assertEquals("key", l.flinkConfig().get("s3.access-key"));
        assertEquals("se/cret", l.flinkConfig().get("s3.secret-key"));
        RuleStorageLocation endpoint = of("type: s3\ns3: {s3: \"s3://minio.local:9000/r\", insecure: true}\n");
        assertEquals("http://minio.local:9000", endpoint.flinkConfig().get("s3.endpoint"));
    }

    @Test
    void gcsServiceAccountBecomesAKeyFileAndFlinkConfigWins() throws Exception {
        RuleStorageLocation l = of("""
                type: gcs
                gcs: {bucket_name: gem-rules, service_account: '{"type": "service_account", "private_key": "k"}'}
                flink_config: {gs.storage.root.url: "http://127.0.0.1:4443/"}
                """);
        assertEquals("gs://gem-rules/", l.root());
        assertEquals(Map.of("gs.auth.service.account.json.keyfile", "{\"type\": \"service_account\", \"private_key\": \"k\"}"), l.secretFiles());
        assertEquals(Map.of("gs.storage.root.url", "http://127.0.0.1:4443/"), l.flinkConfig());
        assertFalse(l.toString().contains("private_key"), l.toString());
    }

    @Test
    void azureAccountKeyAndClouds() throws Exception {
        RuleStorageLocation l = of("type: azure\nprefix: p/q\nazure: {account_name: acct, account_key: k3y, container_name: rules}\n");
        assertEquals("wasbs://rules@acct.blob.core.windows.net/p/q", l.root());
        assertEquals(Map.of("fs.azure.account.key.acct.blob.core.windows.net", "k3y"), l.flinkConfig());
        assertFalse(l.toString().contains("k3y"));
        assertEquals("wasbs://rules@acct.blob.core.chinacloudapi.cn/",
                of("type: azure\nazure: {account_name: acct, container_name: rules, environment: AzureChinaCloud}\n").root());
        assertEquals("wasbs://rules@acct.blob.example.org/",
                of("type: azure\nazure: {account_name: acct, container_name: rules, endpoint_suffix: blob.example.org}\n").root());
        assertThrows(IllegalArgumentException.class,
                () -> of("type: azure\nazure: {account_name: acct, container_name: rules, environment: Mars}\n"));
    }

    @Test
    void azureDevelopmentAccountIsTheEmulator() throws Exception {
        RuleStorageLocation l = of("type: azure\nazure: {account_name: devstoreaccount1, account_key: x, container_name: rules}\n");
        assertEquals("wasb://rules@devstoreaccount1.blob.core.windows.net/", l.root());
        assertEquals(Map.of("fs.azure.storage.emulator.account.name", "devstoreaccount1.blob.core.windows.net"), l.flinkConfig());
    }

    @Test
    void swiftKeysKeepTheirNames() throws Exception {
        RuleStorageLocation l = of("""
                type: swift
                format: mimir
                swift: {auth_version: 3, auth_url: "https://keystone/v3", username: ruler, password: pw, user_domain_name: Default,
                        project_name: monitoring, project_domain_name: Default, region_name: RegionOne, container_name: rules}
                """);
        assertEquals("swift://rules/", l.root());
        assertEquals(Map.of("swift.auth_version", "3", "swift.auth_url", "https://keystone/v3", "swift.username", "ruler",
                "swift.password", "pw", "swift.user_domain_name", "Default", "swift.project_name", "monitoring",
                "swift.project_domain_name", "Default", "swift.region_name", "RegionOne", "swift.container_name", "rules"), l.flinkConfig());
        assertEquals(RuleStorageLayout.MIMIR, l.layout());
        assertFalse(l.toString().contains("pw,") || l.toString().contains("=pw"), l.toString());
    }

    @Test
    void localDirectoryWithPrefix() throws Exception {
        RuleStorageLocation l = of("type: local\nprefix: tenants\nlocal: {directory: ../rules}\n");
        assertEquals("file:/etc/rules/tenants", l.root().replaceAll("/+$", "").replace("file:///", "file:/"));
        assertEquals(Map.of(), l.flinkConfig());
    }
}
