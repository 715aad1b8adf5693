package io.flinkruler.rules;

import io.flinkruler.rules.RemoteWriteConfig.Authorization;
import io.flinkruler.rules.RemoteWriteConfig.BasicAuth;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;
import io.flinkruler.rules.RemoteWriteConfig.QueueConfig;
import io.flinkruler.rules.RemoteWriteConfig.RelabelAction;
import io.flinkruler.rules.RemoteWriteConfig.RelabelConfig;
import io.flinkruler.rules.RemoteWriteConfig.TlsConfig;
import io.flinkruler.yaml.YamlException;
import io.flinkruler.yaml.YamlLoader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteWriteConfigParserTest {
    private static final String FILE = "/etc/flink-ruler/rules/team-a/rw.yaml";

    private static RemoteWriteConfig parse(String yaml) {
        return parse(yaml, new ArrayList<>());
    }

    private static RemoteWriteConfig parse(String yaml, List<YamlException> warnings) {
        return RemoteWriteConfigParser.parse(YamlLoader.load(FILE, yaml, null), warnings);
    }

    /** "line:column: message" of the error. */
    private static String error(String yaml) {
        YamlException e = assertThrows(YamlException.class, () -> parse(yaml));
        assertEquals(FILE, e.file());
        return e.line() + ":" + e.column() + ": " + e.detail();
    }

    @Test
    void everyPrometheusFieldIsRead() {
        List<YamlException> warnings = new ArrayList<>();
        RemoteWriteConfig c = parse("""
                url: https://mimir.example/api/v1/push
                name: mimir
                remote_timeout: 10s
                headers: {X-Scope-OrgID: team-a}
                authorization: {type: Token, credentials_file: secrets/token}
                tls_config:
                  ca_file: /etc/ca.pem
                  cert_file: client.pem
                  key_file: client.key
                  server_name: mimir.internal
                  insecure_skip_verify: false
                  min_version: TLS12
                proxy_url: http://proxy.example:3128
                follow_redirects: false
                write_relabel_configs:
                  - {source_labels: [job], regex: 'test.*', action: drop}
                  - {source_labels: [a, b], separator: '-', target_label: ab}
                queue_config:
                  capacity: 5000
                  max_samples_per_send: 500
                  batch_send_deadline: 2s
                  min_backoff: 100ms
                  max_backoff: 10s
                  retry_on_http_429: false
                  sample_age_limit: 1h
                  max_shards: 10
                protobuf_message: io.prometheus.write.v2.Request
                send_exemplars: true
                send_native_histograms: true
                metadata_config: {send: false}
                """, warnings);
        assertEquals("https://mimir.example/api/v1/push", c.url());
        assertEquals("mimir", c.name());
        assertEquals(Duration.ofSeconds(10), c.remoteTimeout());
        assertEquals(Map.of("X-Scope-OrgID", "team-a"), c.headers());
        assertNull(c.basicAuth());
        assertEquals(new Authorization("Token", null, "/etc/flink-ruler/rules/team-a/secrets/token"), c.authorization());
        assertEquals(new TlsConfig("/etc/ca.pem", null, "/etc/flink-ruler/rules/team-a/client.pem", null,
                "/etc/flink-ruler/rules/team-a/client.key", null, "mimir.internal", false, "TLS12", null), c.tls());
        assertEquals("http://proxy.example:3128", c.proxyUrl());
        assertFalse(c.followRedirects());
        assertEquals(List.of(
                new RelabelConfig(List.of("job"), ";", "test.*", 0, "", "$1", RelabelAction.DROP),
                new RelabelConfig(List.of("a", "b"), "-", "(.*)", 0, "ab", "$1", RelabelAction.REPLACE)), c.writeRelabelConfigs());
        assertEquals(new QueueConfig(5000, 500, Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(10), false,
                Duration.ofHours(1)), c.queue());
        assertEquals(ProtobufMessage.V2, c.protobufMessage());
        assertTrue(c.sendExemplars());
        assertEquals(List.of(
                        "30:1: remote_write field metadata_config is ignored: recording rules have no metric metadata to send",
                        "26:3: queue_config.max_shards is ignored: each endpoint is served by one in-order sender per sink subtask"),
                warnings.stream().map(w -> w.line() + ":" + w.column() + ": " + w.detail()).toList());
    }

    @Test
    void defaultsAreThoseOfPrometheus() {
        RemoteWriteConfig c = parse("url: http://rw.example/push\n");
        assertEquals(Duration.ofSeconds(30), c.remoteTimeout());
        assertTrue(c.followRedirects());
        assertTrue(c.tls().isDefault());
        assertEquals(QueueConfig.DEFAULT, c.queue());
        assertTrue(c.queue().retryOnHttp429());
        assertEquals(ProtobufMessage.V1, c.protobufMessage());
        assertEquals(List.of(), c.writeRelabelConfigs());
        assertNull(c.authorization());
        assertNull(c.proxyUrl());
    }

    @Test
    void credentialsInTheUrlBecomeBasicAuthAndBearerTokensAnAuthorization() {
        RemoteWriteConfig fromUrl = parse("url: http://bob:s3cr%t@rw.example/push\n".replace("%", "$"));
        assertEquals("http://rw.example/push", fromUrl.url());
        assertEquals(new BasicAuth("bob", null, "s3cr$t", null), fromUrl.basicAuth());
        assertEquals(new BasicAuth("u", null, null, "/run/secrets/pw"),
                parse("url: http://x/\nbasic_auth: {username: u, password_file: /run/secrets/pw}\n").basicAuth());
        assertEquals(new Authorization("Bearer", "tok", null), parse("url: http://x/\nbearer_token: tok\n").authorization());
        assertEquals(new Authorization("Bearer", null, "/t"), parse("url: http://x/\nbearer_token_file: /t\n").authorization());
        assertEquals(new Authorization("Bearer", "c", null), parse("url: http://x/\nauthorization: {credentials: c}\n").authorization());
    }

    @Test
    void secretsNeverShowInToString() {
        RemoteWriteConfig c = parse("""
                url: https://user:urlpass@rw.example/push?api_key=querysecret
                headers: {X-Api-Key: headersecret}
                tls_config: {cert: "-----BEGIN CERTIFICATE-----", key: keysecret}
                proxy_url: http://proxyuser:proxysecret@proxy:3128
                """);
        String text = c.toString() + c.displayName() + c.basicAuth() + c.tls();
        for (String secret : List.of("urlpass", "querysecret", "headersecret", "keysecret", "proxysecret")) {
            assertFalse(text.contains(secret), secret + " shown in " + text);
        }
        assertEquals("https://rw.example/push?<redacted>", c.displayName());
        String bearer = parse("url: http://x/\nbearer_token: tokensecret\n").toString();
        assertFalse(bearer.contains("tokensecret"), bearer);
        assertTrue(bearer.contains("credentials=<secret>"), bearer);
    }

    @Test
    void unknownAndUnsupportedFieldsAreErrorsAtTheirPosition() {
        assertTrue(error("url: http://x/\nqueue_confg: {}\n").startsWith("2:1: field queue_confg not found in remote_write; expected one of:"));
        assertEquals("2:1: remote_write field oauth2 is not supported by flink-ruler", error("url: http://x/\noauth2: {}\n"));
        assertEquals("2:16: field capacty not found in queue_config; expected one of: batch_send_deadline, capacity, max_backoff, "
                + "max_retries, max_samples_per_send, max_shards, min_backoff, min_shards, retry_on_http_429, sample_age_limit",
                error("url: http://x/\nqueue_config: {capacty: 1}\n"));
        assertTrue(error("url: http://x/\ntls_config: {cafile: x}\n").startsWith("2:14: field cafile not found in tls_config"));
        assertTrue(error("url: http://x/\nwrite_relabel_configs: [{sourcelabels: [a]}]\n")
                .startsWith("2:26: field sourcelabels not found in write_relabel_configs entry"));
    }

    @Test
    void invalidValuesAreErrorsAtTheValue() {
        assertEquals("2:17: remote_timeout must be greater than 0", error("url: http://x/\nremote_timeout: 0s\n"));
        assertEquals("2:26: queue_config.capacity must be greater than 0", error("url: http://x/\nqueue_config: {capacity: -1}\n"));
        assertEquals("2:46: queue_config.max_backoff must not be less than min_backoff",
                error("url: http://x/\nqueue_config: {min_backoff: 1s, max_backoff: 10ms}\n"));
        assertEquals("2:19: unknown protobuf_message prometheus.WriteRequestV3; expected prometheus.WriteRequest or io.prometheus.write.v2.Request",
                error("url: http://x/\nprotobuf_message: prometheus.WriteRequestV3\n"));
        assertEquals("2:27: unknown TLS version TLS14 in tls_config.min_version; expected one of TLS10, TLS11, TLS12, TLS13",
                error("url: http://x/\ntls_config: {min_version: TLS14}\n"));
        assertEquals("2:13: tls_config has a client certificate but neither key nor key_file", error("url: http://x/\ntls_config: {cert_file: c}\n"));
        assertEquals("2:12: proxy_url must start with http:// or https://, got ftp://p", error("url: http://x/\nproxy_url: ftp://p\n"));
        assertEquals("2:19: follow_redirects: expected a boolean (true or false), got \"maybe\"", error("url: http://x/\nfollow_redirects: maybe\n"));
    }

    @Test
    void authenticationSettingsThatExcludeEachOther() {
        assertEquals("2:40: at most one of basic_auth.password and basic_auth.password_file may be set",
                error("url: http://x/\nbasic_auth: {username: u, password: p, password_file: f}\n"));
        assertEquals("3:1: at most one of basic_auth, authorization, bearer_token and bearer_token_file may be set",
                error("url: http://x/\nbasic_auth: {username: u}\nbearer_token: t\n"));
        assertEquals("3:1: authorization is not compatible with bearer_token and bearer_token_file",
                error("url: http://x/\nauthorization: {credentials: c}\nbearer_token: t\n"));
        assertEquals("2:23: authorization type cannot be set to \"basic\", use \"basic_auth\" instead",
                error("url: http://x/\nauthorization: {type: Basic, credentials: c}\n"));
        assertEquals("2:13: basic_auth and credentials in the url are both set: keep one",
                error("url: http://u:p@x/\nbasic_auth: {username: u}\n"));
        assertEquals("2:11: header Authorization is reserved and cannot be set in remote_write.headers",
                error("url: http://x/\nheaders: {Authorization: t}\n"));
    }

    @Test
    void relabelRulesAreValidatedAsPrometheusDoes() {
        assertEquals("2:51: relabel configuration for hashmod requires non-zero modulus",
                error("url: http://x/\nwrite_relabel_configs: [{target_label: h, action: hashmod}]\n"));
        assertEquals("2:25: relabel configuration for replace action requires 'target_label' value",
                error("url: http://x/\nwrite_relabel_configs: [{source_labels: [a]}]\n"));
        assertEquals("2:54: \"1bad\" is invalid 'target_label' for replace action",
                error("url: http://x/\nwrite_relabel_configs: [{target_label: 1bad, action: replace}]\n"));
        assertEquals("2:61: labeldrop action requires only 'regex', and no other fields",
                error("url: http://x/\nwrite_relabel_configs: [{regex: x, target_label: t, action: labeldrop}]\n"));
        assertEquals("2:81: keepequal action requires only 'source_labels' and `target_label`, and no other fields",
                error("url: http://x/\nwrite_relabel_configs: [{source_labels: [a], target_label: b, regex: x, action: keepequal}]\n"));
        assertEquals("2:87: 'replacement' can not be set for lowercase action",
                error("url: http://x/\nwrite_relabel_configs: [{source_labels: [a], target_label: b, replacement: x, action: lowercase}]\n"));
        assertEquals("2:51: unknown relabel action \"explode\"",
                error("url: http://x/\nwrite_relabel_configs: [{target_label: t, action: explode}]\n"));
        assertTrue(error("url: http://x/\nwrite_relabel_configs: [{regex: '(', action: drop}]\n").startsWith("2:33: invalid regex \"(\""));
        assertEquals("2:42: \"a-b\" is not a valid label name",
                error("url: http://x/\nwrite_relabel_configs: [{source_labels: [a-b], action: drop}]\n"));
    }
}
