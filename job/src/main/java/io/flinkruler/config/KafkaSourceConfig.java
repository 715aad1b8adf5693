package io.flinkruler.config;

import io.flinkruler.kafka.KafkaRecordFormat;
import io.flinkruler.kafka.StartingOffsets;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code source.kafka}: samples from Kafka topics ({@code topics}, or {@code topicPattern}, a Java regex), records
 * in {@code format}, each of the tenant in header {@code tenantHeader} or else of {@code defaultTenant}.
 * {@code properties} go to the Kafka consumer as they are (security settings may hold secrets: {@link #toString()}
 * hides their values). A partition without records for {@code idleTimeoutMs} (0: never) stops holding back the
 * watermark. {@code bounded} reads up to the offsets that are the latest when the job starts, then ends the job.
 */
public record KafkaSourceConfig(String bootstrapServers, List<String> topics, String topicPattern, String groupId,
                                StartingOffsets startingOffsets, Map<String, String> properties, KafkaRecordFormat format,
                                String tenantHeader, String defaultTenant, long idleTimeoutMs, boolean bounded)
        implements Serializable {
    public static final String DEFAULT_GROUP_ID = "flink-ruler";
    public static final String DEFAULT_TENANT_HEADER = "X-Scope-OrgID";
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;

    public KafkaSourceConfig {
        topics = List.copyOf(topics);
        properties = Map.copyOf(properties);
    }

    @Override
    public String toString() {
        return "KafkaSourceConfig[bootstrapServers=" + bootstrapServers + ", topics=" + topics + ", topicPattern=" + topicPattern
                + ", groupId=" + groupId + ", startingOffsets=" + startingOffsets + ", properties=" + new TreeSet<>(properties.keySet())
                + " (values hidden), format=" + format.yamlName() + ", tenantHeader=" + tenantHeader + ", defaultTenant=" + defaultTenant
                + ", idleTimeoutMs=" + idleTimeoutMs + ", bounded=" + bounded + "]";
    }
}
