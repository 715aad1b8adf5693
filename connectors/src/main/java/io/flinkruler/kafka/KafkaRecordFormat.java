package io.flinkruler.kafka;

import java.util.Locale;

/** How the value of a Kafka record carries samples ({@code source.kafka.format}). */
public enum KafkaRecordFormat {
    /** A snappy-compressed protobuf remote-write 1.0 {@code WriteRequest}, as remote-write-to-Kafka bridges produce. */
    REMOTE_WRITE,
    /** One sample per record, the layout of prometheus-kafka-adapter. */
    JSON;

    public String yamlName() { return name().toLowerCase(Locale.ROOT); }
}
