package io.flinkruler.remotewrite;

import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * One remote-write request prepared at a checkpoint and sent once that checkpoint is complete. The body is
 * fixed when prepared (in the endpoint's {@code protobuf_message} format), so a request re-delivered after a
 * restore is re-sent byte for byte unless the endpoint has to be served in another format. {@code writerSubtask},
 * {@code epoch} (one per prepareCommit of that writer, increasing across restores) and {@code sequence}
 * (position among this epoch's requests to the endpoint) give the send order. {@code preparedAtMs} (wall
 * clock) is how old the request is, for {@code max_wal_time}; the sample time range serves
 * {@code sample_age_limit}.
 */
public final class RemoteWriteCommittable {
    /** Send order among requests to one endpoint. */
    public static final Comparator<RemoteWriteCommittable> SEND_ORDER = Comparator
            .comparingInt(RemoteWriteCommittable::writerSubtask)
            .thenComparingLong(RemoteWriteCommittable::epoch)
            .thenComparingInt(RemoteWriteCommittable::sequence);

    private final RemoteWriteConfig endpoint;
    private final int writerSubtask;
    private final long epoch;
    private final int sequence;
    private final ProtobufMessage format;
    private final byte[] snappyPayload;
    private final int sampleCount;
    private final int seriesCount;
    private final long minTimestampMs;
    private final long maxTimestampMs;
    private final long preparedAtMs;

    public RemoteWriteCommittable(RemoteWriteConfig endpoint, int writerSubtask, long epoch, int sequence, ProtobufMessage format,
                                  byte[] snappyPayload, int sampleCount, int seriesCount, long minTimestampMs, long maxTimestampMs,
                                  long preparedAtMs) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.writerSubtask = writerSubtask;
        this.epoch = epoch;
        this.sequence = sequence;
        this.format = Objects.requireNonNull(format, "format");
        this.snappyPayload = Objects.requireNonNull(snappyPayload, "snappyPayload");
        this.sampleCount = sampleCount;
        this.seriesCount = seriesCount;
        this.minTimestampMs = minTimestampMs;
        this.maxTimestampMs = maxTimestampMs;
        this.preparedAtMs = preparedAtMs;
    }

    /** A remote-write 1.0 body of unknown sample time range, prepared now. */
    public RemoteWriteCommittable(RemoteWriteConfig endpoint, int writerSubtask, long epoch, int sequence,
                                  byte[] snappyPayload, int sampleCount, int seriesCount) {
        this(endpoint, writerSubtask, epoch, sequence, ProtobufMessage.V1, snappyPayload, sampleCount, seriesCount,
                Long.MIN_VALUE, Long.MAX_VALUE, System.currentTimeMillis());
    }

    /** The same request with another body (re-encoded, or a part of the series); position and age are kept. */
    public RemoteWriteCommittable withPayload(ProtobufMessage format, byte[] snappyPayload, int sampleCount, int seriesCount,
                                              long minTimestampMs, long maxTimestampMs) {
        return new RemoteWriteCommittable(endpoint, writerSubtask, epoch, sequence, format, snappyPayload, sampleCount,
                seriesCount, minTimestampMs, maxTimestampMs, preparedAtMs);
    }

    public RemoteWriteConfig endpoint() { return endpoint; }
    public int writerSubtask() { return writerSubtask; }
    public long epoch() { return epoch; }
    public int sequence() { return sequence; }
    /** The wire format of {@link #snappyPayload()}. */
    public ProtobufMessage format() { return format; }
    /** The POST body; not copied, callers must not modify it. */
    public byte[] snappyPayload() { return snappyPayload; }
    public int sampleCount() { return sampleCount; }
    public int seriesCount() { return seriesCount; }
    /** Oldest sample timestamp in the body (Long.MIN_VALUE when unknown). */
    public long minTimestampMs() { return minTimestampMs; }
    /** Newest sample timestamp in the body (Long.MAX_VALUE when unknown). */
    public long maxTimestampMs() { return maxTimestampMs; }
    /** Wall-clock time when the writer prepared the request. */
    public long preparedAtMs() { return preparedAtMs; }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteWriteCommittable c && endpoint.equals(c.endpoint) && writerSubtask == c.writerSubtask
                && epoch == c.epoch && sequence == c.sequence && format == c.format && sampleCount == c.sampleCount
                && seriesCount == c.seriesCount && minTimestampMs == c.minTimestampMs && maxTimestampMs == c.maxTimestampMs
                && preparedAtMs == c.preparedAtMs && Arrays.equals(snappyPayload, c.snappyPayload);
    }

    @Override
    public int hashCode() { return Objects.hash(endpoint, writerSubtask, epoch, sequence, sampleCount); }

    @Override
    public String toString() {
        return "RemoteWriteCommittable{endpoint=" + endpoint.displayName() + ", subtask=" + writerSubtask + ", epoch=" + epoch
                + ", sequence=" + sequence + ", samples=" + sampleCount + ", series=" + seriesCount + ", bytes=" + snappyPayload.length
                + (format == ProtobufMessage.V2 ? ", format=2.0" : "") + "}";
    }
}
