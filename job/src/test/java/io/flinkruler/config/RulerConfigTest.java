package io.flinkruler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.rules.RemoteWriteConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulerConfigTest {
    /** The complete example of the GEM documentation page "Forward metrics with remote-write". */
    private static final String GEM_EXAMPLE = """
            ruler:
              external_url: localhost:9090
              rule_path: "/tmp/rules"
              storage:
                type: s3
                s3:
                  endpoint: minio:9000
                  access_key_id: cortex
                  secret_access_key: supersecret
                  bucketnames: "gem-ruler"
                  insecure: true
                  s3forcepathstyle: true
              poll_interval: 10s
              enable_api: true
              enable_sharding: true
              ring:
                kvstore:
                  store: memberlist
              remote_write:
                enabled: true
                wal_dir: /tmp/wal
                min_wal_time: 1h
                max_wal_time: 5h
                wal_truncate_frequency: 1h
            """;

    private static final String MINIMAL = """
            ruler:
              storage:
                type: local
                local: {directory: rules}
            """;

    private static RulerConfig parse(String yaml) throws ConfigException {
        return RulerConfig.parse("/etc/flink-ruler/config.yaml", yaml, Map.of());
    }

    private static ConfigException invalid(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml));
    }

    @Test
    void gemExampleParsesUnchangedWithWarnings() throws Exception {
        RulerConfig config = parse(GEM_EXAMPLE);
        RulerSettings ruler = config.ruler();
        assertEquals("localhost:9090", ruler.externalUrl());
        assertEquals(10_000, ruler.pollIntervalMs());
        assertEquals(60_000, ruler.evaluationIntervalMs());
        assertEquals(0, ruler.queryOffsetMs());
        RuleStorageConfig storage = ruler.storage();
        assertEquals(StorageType.S3, storage.type());
        assertEquals("minio:9000", storage.s3().endpoint());
        assertEquals(List.of("gem-ruler"), storage.s3().bucketNames());
        assertEquals("cortex", storage.s3().accessKeyId());
        assertEquals("supersecret", storage.s3().secretAccessKey());
        assertTrue(storage.s3().insecure());
        assertTrue(storage.s3().forcePathStyle());
        assertFalse(storage.s3().toString().contains("supersecret"));
        assertFalse(config.toString().contains("supersecret"));
        assertNull(storage.localDirectory());
        RulerRemoteWriteSettings rw = ruler.remoteWrite();
        assertTrue(rw.enabled());
        assertEquals("/tmp/wal", rw.walDir());
        assertEquals(3_600_000, rw.minWalTimeMs());
        assertEquals(5 * 3_600_000, rw.maxWalTimeMs());
        assertEquals(3_600_000, rw.walTruncateFrequencyMs());
        assertTrue(ruler.tenantRemoteWrite().isEmpty());
        assertTrue(config.source().isEmpty());
        assertEquals(JobSettings.defaults(), config.job());
        String f = "/etc/flink-ruler/config.yaml";
        assertEquals(List.of(
                f + ":3:3: ruler.rule_path is not used: rules are read from ruler.storage directly",
                f + ":14:3: ruler.enable_api is not supported yet: flink-ruler has no ruler API, rules are managed in ruler.storage",
                f + ":15:3: ruler.enable_sharding is not used: Flink parallelism replaces it",
                f + ":16:3: ruler.ring is not used: Flink distributes the work",
                f + ":21:5: ruler.remote_write.wal_dir is not used: Flink checkpoints are the write-ahead log"),
                config.warnings());
    }

    @Test
    void fullConfigWithAllBlocks() throws Exception {
        RulerConfig config = parse("""
                ruler:
                  evaluation_interval: 30s
                  query_offset: 1m
                  poll_interval: 5s
                  storage:
                    type: local
                    local: {directory: ./rules}
                    prefix: team-a
                  tenant_remote_write:
                    url: http://127.0.0.1:9090/api/v1/write
                    name: tenant
                    remote_timeout: 5s
                    headers: {X-Extra: yes}
                    basic_auth: {username: u, password: p}
                source:
                  type: openmetrics
                  openmetrics: {path: ../data/input.om, tenant: team-a}
                job:
                  parallelism: 4
                  shards: 64
                  checkpoint_interval: 30s
                  out_of_orderness: 2s
                  lookback_delta: 10m
                """);
        assertEquals(30_000, config.ruler().evaluationIntervalMs());
        assertEquals(60_000, config.ruler().queryOffsetMs());
        assertEquals(5_000, config.ruler().pollIntervalMs());
        assertEquals(StorageType.LOCAL, config.ruler().storage().type());
        assertEquals(Path.of("/etc/flink-ruler/rules"), config.ruler().storage().localDirectoryPath());
        assertEquals("team-a", config.ruler().storage().prefix());
        RemoteWriteConfig rw = config.ruler().tenantRemoteWrite().orElseThrow();
        assertEquals("http://127.0.0.1:9090/api/v1/write", rw.url());
        assertEquals("tenant", rw.name());
        assertEquals(5_000, rw.remoteTimeout().toMillis());
        assertEquals(Map.of("X-Extra", "yes"), rw.headers());
        assertEquals("u", rw.basicAuthUsername());
        assertEquals("p", rw.basicAuthPassword());
        SourceConfig source = config.source().orElseThrow();
        assertEquals(SourceType.OPENMETRICS, source.type());
        assertEquals("/etc/data/input.om", source.openmetrics().path());
        assertEquals("team-a", source.openmetrics().tenant());
        assertEquals(new JobSettings(4, 64, 30_000, 2_000, 600_000), config.job());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void unknownKeysAreErrorsNamingKeyAndLine() {
        ConfigException e = invalid("""
                ruler:
                  evaluaton_interval: 1m
                  storage:
                    type: local
                    local: {directory: rules, mode: x}
                jobs: {}
                """);
        String f = "/etc/flink-ruler/config.yaml";
        assertEquals(List.of(
                f + ":6:1: field jobs not found in the config; expected one of: job, ruler, source",
                f + ":2:3: field evaluaton_interval not found in ruler; expected one of: enable_api, enable_sharding, "
                        + "evaluation_interval, external_url, poll_interval, query_offset, remote_write, ring, rule_path, "
                        + "storage, tenant_remote_write",
                f + ":5:31: field mode not found in ruler.storage.local; expected one of: directory"),
                e.errors());
        assertEquals(String.join("\n", e.errors()), e.getMessage());
    }

    @Test
    void repeatedKeyIsAnError() {
        ConfigException e = invalid(MINIMAL + "job: {shards: 1}\njob: {shards: 2}\n");
        assertEquals(List.of("/etc/flink-ruler/config.yaml:6:1: mapping key \"job\" already defined at line 5"), e.errors());
    }

    @Test
    void environmentVariablesAreExpandedInValues() throws Exception {
        RulerConfig config = RulerConfig.parse("/c/config.yaml", """
                ruler:
                  storage:
                    type: local
                    local: {directory: "${RULES_DIR}"}
                  tenant_remote_write:
                    url: http://${RW_HOST:-localhost}:9090/api/v1/write
                    basic_auth: {username: "${RW_USER}", password: "${RW_PASSWORD}"}
                job:
                  parallelism: ${PARALLELISM}
                """, Map.of("RULES_DIR", "/srv/rules", "RW_USER", "bob", "RW_PASSWORD", "s3cr$t", "PARALLELISM", "3"));
        assertEquals("/srv/rules", config.ruler().storage().localDirectory());
        RemoteWriteConfig rw = config.ruler().tenantRemoteWrite().orElseThrow();
        assertEquals("http://localhost:9090/api/v1/write", rw.url());
        assertEquals("bob", rw.basicAuthUsername());
        assertEquals("s3cr$t", rw.basicAuthPassword());
        assertEquals(3, config.job().parallelism());

        ConfigException e = assertThrows(ConfigException.class, () -> RulerConfig.parse("/c/config.yaml",
                MINIMAL + "job:\n  parallelism: ${NOPE}\n", Map.of()));
        assertEquals(List.of("/c/config.yaml:6:16: job.parallelism: environment variable NOPE is not set"), e.errors());
    }

    @Test
    void durationsAreCheckedAndDefaulted() throws Exception {
        RulerConfig defaults = parse(MINIMAL);
        assertEquals(RulerSettings.DEFAULT_EVALUATION_INTERVAL_MS, defaults.ruler().evaluationIntervalMs());
        assertEquals(RulerSettings.DEFAULT_POLL_INTERVAL_MS, defaults.ruler().pollIntervalMs());
        assertEquals(300_000, defaults.job().lookbackDeltaMs());
        assertEquals(10_000, defaults.job().checkpointIntervalMs());

        ConfigException e = invalid("""
                ruler:
                  evaluation_interval: 1.5m
                  poll_interval: 0s
                  storage: {type: local, local: {directory: r}}
                job:
                  lookback_delta: 5 m
                """);
        String f = "/etc/flink-ruler/config.yaml";
        assertEquals(List.of(
                f + ":2:24: ruler.evaluation_interval: not a valid duration string: \"1.5m\"",
                f + ":3:18: ruler.poll_interval must be greater than 0",
                f + ":6:19: job.lookback_delta: not a valid duration string: \"5 m\""), e.errors());
    }

    @Test
    void storageErrors() {
        String f = "/etc/flink-ruler/config.yaml";
        assertEquals(List.of(f + ":1:1: missing required block ruler (with ruler.storage)"), invalid("job: {}\n").errors());
        assertEquals(List.of(f + ":2:3: missing required block ruler.storage"),
                invalid("ruler:\n  poll_interval: 1m\n").errors());
        assertEquals(List.of(f + ":3:11: ruler.storage.type must be one of local, s3, gcs, azure, swift, got \"ftp\""),
                invalid("ruler:\n  storage:\n    type: ftp\n").errors());
        assertEquals(List.of(f + ":3:11: ruler.storage.type configdb is not supported: use local, s3, gcs, azure or swift"),
                invalid("ruler:\n  storage:\n    type: configdb\n").errors());
        assertEquals(List.of(f + ":3:11: ruler.storage.type is local but ruler.storage.local.directory is not set"),
                invalid("ruler:\n  storage:\n    type: local\n").errors());
        assertEquals(List.of(f + ":3:11: ruler.storage.type is s3 but ruler.storage.s3 is not set"),
                invalid("ruler:\n  storage:\n    type: s3\n").errors());
        assertEquals(List.of(f + ":3:13: ruler.storage.format must be rule_files or mimir, got \"thanos\""),
                invalid("ruler:\n  storage:\n    format: thanos\n    type: local\n    local: {directory: r}\n").errors());
        assertEquals(List.of(f + ":3:5: ruler.storage.prefix must be a relative path without '..'"),
                invalid("ruler:\n  storage:\n    prefix: ../up\n    type: local\n    local: {directory: r}\n").errors());
    }

    @Test
    void storageFormatFlinkConfigAndBucketWarning() throws Exception {
        String f = "/etc/flink-ruler/config.yaml";
        RulerConfig config = RulerConfig.parse(f, """
                ruler:
                  storage:
                    type: s3
                    format: mimir
                    s3: {bucketnames: "a,b", endpoint: "x:1"}
                    flink_config: {s3.connection.timeout: "5000"}
                """, Map.of());
        RuleStorageConfig s = config.ruler().storage();
        assertEquals(StorageFormat.MIMIR, s.format());
        assertEquals(Map.of("s3.connection.timeout", "5000"), s.flinkConfig());
        assertEquals(List.of(f + ":5:5: ruler.storage.s3 lists 2 buckets: rules are read from the first, a"), config.warnings());
        assertEquals(StorageFormat.RULE_FILES, RulerConfig.parse(f, "ruler:\n  storage: {type: local, local: {directory: r}}\n", Map.of())
                .ruler().storage().format());
    }

    @Test
    void cloudBackendsKeepTheirBlocks() throws Exception {
        RulerConfig config = parse("""
                ruler:
                  storage:
                    type: azure
                    azure: {account_name: acct, account_key: k3y, container_name: rules, max_retries: 3}
                    gcs: {bucket_name: b, service_account: "{json}"}
                    swift: {auth_url: http://keystone, username: u, password: pw, container_name: c, auth_version: 3}
                    s3: {bucket_name: "a, b", endpoint: "s3:9000"}
                """);
        RuleStorageConfig s = config.ruler().storage();
        assertEquals(StorageType.AZURE, s.type());
        assertEquals(new AzureStorageConfig("", "acct", "k3y", "rules", ""), s.azure());
        assertEquals(new GcsStorageConfig("b", "{json}"), s.gcs());
        assertEquals(3, s.swift().authVersion());
        assertEquals("pw", s.swift().password());
        assertEquals(List.of("a", "b"), s.s3().bucketNames());
        for (String secret : List.of("k3y", "{json}", "pw")) assertFalse(s.toString().contains(secret), secret);
        assertEquals(List.of("/etc/flink-ruler/config.yaml:4:74: ruler.storage.azure.max_retries is not used"), config.warnings());
    }

    @Test
    void tenantRemoteWriteValidation() throws Exception {
        RulerConfig config = parse(MINIMAL + "  tenant_remote_write: {url: 'http://user:pa55@rw.example:8080/push'}\n");
        RemoteWriteConfig rw = config.ruler().tenantRemoteWrite().orElseThrow();
        assertEquals("http://rw.example:8080/push", rw.url());
        assertEquals("user", rw.basicAuthUsername());
        assertFalse(config.toString().contains("pa55"));

        String f = "/etc/flink-ruler/config.yaml";
        assertEquals(List.of(f + ":5:53: header Authorization is reserved and cannot be set in remote_write.headers"),
                invalid(MINIMAL + "  tenant_remote_write: {url: 'http://x/', headers: {Authorization: t}}\n").errors());
        assertEquals(List.of(f + ":5:30: remote_write url must start with http:// or https://, got ftp://x/"),
                invalid(MINIMAL + "  tenant_remote_write: {url: 'ftp://x/'}\n").errors());
        assertEquals(List.of(f + ":5:43: remote_write field oauth2 is not supported by flink-ruler"),
                invalid(MINIMAL + "  tenant_remote_write: {url: 'http://x/', oauth2: {}}\n").errors());
        assertEquals(List.of(f + ":5:24: ruler.tenant_remote_write: missing required field url"), invalid(MINIMAL + "  tenant_remote_write: {name: x}\n").errors());
        String message = invalid(MINIMAL + "  tenant_remote_write: {url: 'http://u:secretpw@/x'}\n").getMessage();
        assertFalse(message.contains("secretpw"), message);
        assertEquals(List.of(f + ":5:58: queue_config.max_shards is ignored: each endpoint is served by one in-order sender per sink subtask"),
                parse(MINIMAL + "  tenant_remote_write: {url: 'http://x/', queue_config: {max_shards: 2}}\n").warnings());
    }

    @Test
    void generatorSourceDefaultsAndSettings() throws Exception {
        GeneratorSourceConfig defaults = parse(MINIMAL + "source: {type: generator}\n").source().orElseThrow().generator();
        assertEquals(new GeneratorSourceConfig("anonymous", 10, 15_000, false, 0, 0, 1), defaults);

        GeneratorSourceConfig g = parse(MINIMAL + """
                source:
                  type: generator
                  generator:
                    tenant: load
                    targets: 1000
                    interval: 10s
                    mode: fast
                    start: 2024-01-01T00:00:00Z
                    duration: 1h
                    seed: 42
                """).source().orElseThrow().generator();
        assertEquals(new GeneratorSourceConfig("load", 1000, 10_000, true, 1_704_067_200_000L, 3_600_000, 42), g);
    }

    @Test
    void sourceErrors() {
        String f = "/etc/flink-ruler/config.yaml";
        assertEquals(List.of(f + ":5:16: source.type must be one of openmetrics, generator, kafka, got \"kinesis\""),
                invalid(MINIMAL + "source: {type: kinesis}\n").errors());
        assertEquals(List.of(f + ":5:16: source.type is openmetrics but source.openmetrics (with path) is not set"),
                invalid(MINIMAL + "source: {type: openmetrics}\n").errors());
        assertEquals(List.of(f + ":5:9: source: missing required field type"), invalid(MINIMAL + "source: {generator: {}}\n").errors());
        assertEquals(List.of(
                f + ":8:11: source.generator.mode must be live or fast, got \"turbo\""),
                invalid(MINIMAL + """
                        source:
                          type: generator
                          generator:
                            mode: turbo
                        """).errors());
    }

    @Test
    void jobSettingsValidation() throws Exception {
        String f = "/etc/flink-ruler/config.yaml";
        assertEquals(List.of(f + ":5:20: job.parallelism must be at least 1", f + ":5:31: job.shards must be between 1 and 32768"),
                invalid(MINIMAL + "job: {parallelism: 0, shards: 0}\n").errors());
        RulerConfig config = parse(MINIMAL + "job: {parallelism: 8, shards: 4, checkpoint_interval: 0s}\n");
        assertEquals(List.of(
                f + ":5:31: job.shards (4) is below job.parallelism (8): only 4 subtasks get work",
                f + ":5:55: job.checkpoint_interval is 0: checkpointing is off, so the remote-write sink commits only at the end of a bounded input"),
                config.warnings());
    }

    @Test
    void mimirBlocksAreWarningsAndRulerStorageIsAnError() throws Exception {
        RulerConfig config = parse("target: ruler\nserver: {http_listen_port: 8080}\n" + MINIMAL
                + "  alertmanager_url: http://am:9093\n");
        String f = "/etc/flink-ruler/config.yaml";
        assertEquals(List.of(
                f + ":1:1: target is not used: flink-ruler only reads the ruler block of a Mimir/GEM config",
                f + ":2:1: server is not used: flink-ruler only reads the ruler block of a Mimir/GEM config",
                f + ":7:3: ruler.alertmanager_url is not used: flink-ruler evaluates recording rules only and sends no alerts"),
                config.warnings());
        assertEquals(List.of(f + ":5:1: ruler_storage is not supported: configure rule storage under ruler.storage"),
                invalid(MINIMAL + "ruler_storage: {backend: local}\n").errors());
    }

    @Test
    void yamlSyntaxErrorHasPosition() {
        ConfigException e = invalid("ruler:\n  storage: [\n");
        assertEquals(1, e.errors().size());
        assertTrue(e.errors().get(0).startsWith("/etc/flink-ruler/config.yaml:3:1: yaml: "), e.errors().get(0));
    }
}
