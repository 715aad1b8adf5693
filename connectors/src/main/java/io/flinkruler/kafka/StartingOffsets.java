package io.flinkruler.kafka;

import java.io.Serializable;
import java.util.Locale;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where reading starts in each partition when the job starts without state (a restored job resumes at the
 * offsets of its checkpoint): the earliest or latest offset, the consumer group's committed offset (earliest
 * where the group has none), or the first record at or after a timestamp (backfill from a point in time).
 */
public record StartingOffsets(Kind kind, long timestampMs) implements Serializable {
    public enum Kind { EARLIEST, LATEST, COMMITTED, TIMESTAMP }

    public static StartingOffsets earliest() { return new StartingOffsets(Kind.EARLIEST, 0); }
    public static StartingOffsets latest() { return new StartingOffsets(Kind.LATEST, 0); }
    public static StartingOffsets committed() { return new StartingOffsets(Kind.COMMITTED, 0); }
    public static StartingOffsets timestamp(long timestampMs) { return new StartingOffsets(Kind.TIMESTAMP, timestampMs); }

    @SuppressWarnings("deprecation") // the connector's API still takes kafka-clients' OffsetResetStrategy
    public OffsetsInitializer initializer() {
        return switch (kind) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case TIMESTAMP -> OffsetsInitializer.timestamp(timestampMs);
        };
    }

    @Override
    public String toString() {
        return kind == Kind.TIMESTAMP ? "timestamp " + java.time.Instant.ofEpochMilli(timestampMs) : kind.name().toLowerCase(Locale.ROOT);
    }
}
