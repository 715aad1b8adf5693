package io.flinkruler.remotewrite;

import io.flinkruler.rules.RemoteWriteConfig;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * One remote-write request prepared at a checkpoint and sent by the committer once that checkpoint is
 * complete. The body is fixed when prepared, so a request re-delivered after a restore is re-sent byte for
 * byte. {@code writerSubtask}, {@code epoch} (one per prepareCommit of that writer, increasing across
 * restores) and {@code sequence} (position among this epoch's requests to the endpoint) give the send order.
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
    private final byte[] snappyPayload;
    private final int sampleCount;
    private final int seriesCount;

    public RemoteWriteCommittable(RemoteWriteConfig endpoint, int writerSubtask, long epoch, int sequence,
                                  byte[] snappyPayload, int sampleCount, int seriesCount) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.writerSubtask = writerSubtask;
        this.epoch = epoch;
        this.sequence = sequence;
        this.snappyPayload = Objects.requireNonNull(snappyPayload, "snappyPayload");
        this.sampleCount = sampleCount;
        this.seriesCount = seriesCount;
    }

    public RemoteWriteConfig endpoint() { return endpoint; }
    public int writerSubtask() { return writerSubtask; }
    public long epoch() { return epoch; }
    public int sequence() { return sequence; }
    /** The POST body; not copied, callers must not modify it. */
    public byte[] snappyPayload() { return snappyPayload; }
    public int sampleCount() { return sampleCount; }
    public int seriesCount() { return seriesCount; }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteWriteCommittable c && endpoint.equals(c.endpoint) && writerSubtask == c.writerSubtask
                && epoch == c.epoch && sequence == c.sequence && sampleCount == c.sampleCount && seriesCount == c.seriesCount
                && Arrays.equals(snappyPayload, c.snappyPayload);
    }

    @Override
    public int hashCode() { return Objects.hash(endpoint, writerSubtask, epoch, sequence, sampleCount); }

    @Override
    public String toString() {
        return "RemoteWriteCommittable{endpoint=" + endpoint.displayName() + ", subtask=" + writerSubtask + ", epoch=" + epoch
                + ", sequence=" + sequence + ", samples=" + sampleCount + ", series=" + seriesCount + ", bytes=" + snappyPayload.length + "}";
    }
}
