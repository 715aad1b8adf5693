package io.flinkruler.kafka;

import io.flinkruler.source.Sample;
import java.io.Serializable;
import java.util.List;

/** Turns the value of one Kafka record into samples: all of them, or none and an exception. */
public interface SampleDecoder extends Serializable {
    /**
     * Appends the record's samples to {@code out}; on failure {@code out} is left as it was.
     *
     * @param contentType the record's {@code Content-Type} header, null when it has none
     */
    void decode(byte[] value, String contentType, String tenant, List<Sample> out) throws UndecodableRecordException;

    static SampleDecoder of(KafkaRecordFormat format) {
        return switch (format) {
            case REMOTE_WRITE -> new RemoteWriteSampleDecoder();
            case JSON -> new JsonSampleDecoder();
        };
    }
}
