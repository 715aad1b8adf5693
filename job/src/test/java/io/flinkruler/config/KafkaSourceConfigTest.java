package io.flinkruler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.kafka.KafkaRecordFormat;
import io.flinkruler.kafka.StartingOffsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSourceConfigTest {
    private static final String F = "/etc/flink-ruler/config.yaml";
    private static final String MINIMAL = """
            ruler:
              storage:
                type: local
                local: {directory: rules}
            source:
              type: kafka
            """;

    private static RulerConfig parse(String yaml) throws ConfigException {
        return RulerConfig.parse(F, yaml, Map.of("KAFKA_PASSWORD", "s3cret-pw"));
    }

    private static KafkaSourceConfig kafka(String block) throws ConfigException {
        return parse(MINIMAL + block).source().orElseThrow().kafka();
    }

    private static List<String> errors(String block) {
        return assertThrows(ConfigException.class, () -> parse(MINIMAL + block)).errors();
    }

    @Test
    void defaults() throws Exception {
        KafkaSourceConfig k = kafka("""
                  kafka:
                    bootstrap_servers: 127.0.0.1:9092
                    topics: [samples]
                """);
        assertEquals(new KafkaSourceConfig("127.0.0.1:9092", List.of("samples"), "", "flink-ruler", StartingOffsets.committed(), Map.of(),
                KafkaRecordFormat.REMOTE_WRITE, "X-Scope-OrgID", "anonymous", 30_000, false), k);
    }

    @Test
    void everySetting() throws Exception {
        KafkaSourceConfig k = kafka("""
                  kafka:
                    bootstrap_servers: [k1:9092, k2:9092]
                    topic_pattern: 'metrics-.*'
                    group_id: ruler-eu
                    starting_offsets: {timestamp: 2024-01-01T00:00:00Z}
                    properties:
                      security.protocol: SASL_SSL
                      sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${KAFKA_PASSWORD}";'
                      max.poll.records: 5000
                    format: json
                    tenant_header: X-Tenant
                    default_tenant: team-z
                    idle_timeout: 1m
                    bounded: true
                """);
        assertEquals("k1:9092,k2:9092", k.bootstrapServers());
        assertEquals(List.of(), k.topics());
        assertEquals("metrics-.*", k.topicPattern());
        assertEquals("ruler-eu", k.groupId());
        assertEquals(StartingOffsets.timestamp(1_704_067_200_000L), k.startingOffsets());
        assertEquals("5000", k.properties().get("max.poll.records"));
        assertTrue(k.properties().get("sasl.jaas.config").contains("password=\"s3cret-pw\""));
        assertEquals(KafkaRecordFormat.JSON, k.format());
        assertEquals("X-Tenant", k.tenantHeader());
        assertEquals("team-z", k.defaultTenant());
        assertEquals(60_000, k.idleTimeoutMs());
        assertTrue(k.bounded());
        assertFalse(k.toString().contains("s3cret-pw"), "property values are hidden: " + k);
        assertTrue(k.toString().contains("sasl.jaas.config"), k.toString());
    }

    @Test
    void startingOffsetsSpellings() throws Exception {
        String base = "  kafka: {bootstrap_servers: k:9092, topics: t, starting_offsets: %s}\n";
        assertEquals(StartingOffsets.earliest(), kafka(base.formatted("earliest")).startingOffsets());
        assertEquals(StartingOffsets.latest(), kafka(base.formatted("latest")).startingOffsets());
        assertEquals(StartingOffsets.committed(), kafka(base.formatted("committed")).startingOffsets());
        assertEquals(StartingOffsets.timestamp(1_704_067_200_000L), kafka(base.formatted("'timestamp: 2024-01-01T01:00:00+01:00'")).startingOffsets());
        assertEquals(StartingOffsets.timestamp(1_704_067_200_123L), kafka(base.formatted("'timestamp: 1704067200123'")).startingOffsets());
        assertEquals(StartingOffsets.timestamp(5), kafka(base.formatted("{timestamp: 5}")).startingOffsets());
        assertEquals(List.of(F + ":7:67: source.kafka.starting_offsets must be earliest, latest, committed or timestamp: "
                + "<RFC 3339 time or Unix milliseconds>, got \"oldest\""), errors(base.formatted("oldest")));
        assertEquals(List.of(F + ":7:67: source.kafka.starting_offsets must be an RFC 3339 time (2024-01-01T00:00:00Z) or Unix "
                + "milliseconds, got \"yesterday\""), errors(base.formatted("'timestamp: yesterday'")));
    }

    @Test
    void topicsAsListOrCommaSeparated() throws Exception {
        assertEquals(List.of("a", "b"), kafka("  kafka: {bootstrap_servers: k:9092, topics: 'a, b'}\n").topics());
        assertEquals(List.of("a", "b"), kafka("  kafka: {bootstrap_servers: k:9092, topics: [a, b]}\n").topics());
    }

    @Test
    void errorsAndWarnings() throws Exception {
        assertEquals(List.of(F + ":6:9: source.type is kafka but source.kafka (with bootstrap_servers and topics) is not set"), errors(""));
        assertEquals(List.of(F + ":7:10: source.kafka: missing required field bootstrap_servers"), errors("  kafka: {topics: t}\n"));
        assertEquals(List.of(F + ":7:10: source.kafka needs either topics or topic_pattern"), errors("  kafka: {bootstrap_servers: k:9092}\n"));
        assertEquals(List.of(F + ":7:10: source.kafka needs either topics or topic_pattern"),
                errors("  kafka: {bootstrap_servers: k:9092, topics: t, topic_pattern: t.*}\n"));
        assertEquals(List.of(F + ":7:53: source.kafka.topic_pattern is not a regular expression: Unclosed group"),
                errors("  kafka: {bootstrap_servers: k:9092, topic_pattern: 'metrics-('}\n"));
        assertEquals(List.of(F + ":7:57: source.kafka.format must be one of remote_write, json, got \"avro\""),
                errors("  kafka: {bootstrap_servers: k:9092, topics: t, format: avro}\n"));
        assertEquals(List.of(F + ":7:65: source.kafka.default_tenant must be a non-empty name without '/'"),
                errors("  kafka: {bootstrap_servers: k:9092, topics: t, default_tenant: a/b}\n"));
        assertEquals(List.of(F + ":7:49: field partitions not found in source.kafka; expected one of: bootstrap_servers, bounded, "
                + "default_tenant, format, group_id, idle_timeout, properties, starting_offsets, tenant_header, topic_pattern, topics"),
                errors("  kafka: {bootstrap_servers: k:9092, topics: t, partitions: 3}\n"));
        assertEquals(List.of(F + ":7:62: source.kafka.properties.group.id is overridden by source.kafka.group_id"),
                parse(MINIMAL + "  kafka: {bootstrap_servers: k:9092, topics: t, properties: {group.id: x}}\n").warnings());
    }
}
