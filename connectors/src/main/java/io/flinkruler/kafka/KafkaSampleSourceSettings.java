package io.flinkruler.kafka;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the Kafka sample source reads: {@code topics}, or every topic matching {@code topicPattern} (a Java
 * regex; then {@code topics} is empty); records in {@code format}; the tenant from header {@code tenantHeader}
 * or {@code defaultTenant}. {@code properties} go to the Kafka consumer unchanged (security settings, fetch
 * sizes): they may hold secrets, so {@link #toString()} shows their names only. {@code bounded} stops at the
 * offsets that are the latest when the job starts; {@code stopAtTimestampMs} (a backfill's end) stops each
 * partition at its first record with a Kafka timestamp at or after it instead.
 */
public record KafkaSampleSourceSettings(
        String bootstrapServers,
        List<String> topics,
        String topicPattern,
        String groupId,
        StartingOffsets startingOffsets,
        Map<String, String> properties,
        KafkaRecordFormat format,
        String tenantHeader,
        String defaultTenant,
        boolean bounded,
        long stopAtTimestampMs) implements Serializable {

    /** Not stopping at a timestamp. */
    public static final long NO_STOP = Long.MAX_VALUE;

    public KafkaSampleSourceSettings(String bootstrapServers, List<String> topics, String topicPattern, String groupId,
                                     StartingOffsets startingOffsets, Map<String, String> properties, KafkaRecordFormat format,
                                     String tenantHeader, String defaultTenant, boolean bounded) {
        this(bootstrapServers, topics, topicPattern, groupId, startingOffsets, properties, format, tenantHeader, defaultTenant,
                bounded, NO_STOP);
    }

    public KafkaSampleSourceSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        topics = List.copyOf(topics);
        topicPattern = topicPattern == null ? "" : topicPattern;
        if (topics.isEmpty() == topicPattern.isEmpty()) throw new IllegalArgumentException("give either topics or a topic pattern");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(startingOffsets, "startingOffsets");
        properties = Map.copyOf(properties);
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(tenantHeader, "tenantHeader");
        Objects.requireNonNull(defaultTenant, "defaultTenant");
    }

    /** The topics, or {@code /pattern/}. */
    public String subscription() {
        return topics.isEmpty() ? "topics matching /" + topicPattern + "/" : "topic" + (topics.size() > 1 ? "s " : " ") + String.join(", ", topics);
    }

    @Override
    public String toString() {
        return "KafkaSampleSourceSettings[bootstrapServers=" + bootstrapServers + ", " + subscription() + ", groupId=" + groupId
                + ", startingOffsets=" + startingOffsets + ", properties=" + new java.util.TreeSet<>(properties.keySet())
                + " (values hidden), format=" + format.yamlName() + ", tenantHeader=" + tenantHeader + ", defaultTenant="
                + defaultTenant + ", bounded=" + bounded + "]";
    }
}
