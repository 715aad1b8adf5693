package io.flinkruler.job.state;

import io.flinkruler.flink.MutableStateSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A shard's event-time clock: its last evaluation timestamp (samples at or before it are late) and its
 * pending timer. Until the first evaluation the timer is a wake-up at the shard's earliest sample.
 */
public final class ShardClock {
    public long lastEvaluatedMs = Long.MIN_VALUE;
    /** The shard's pending event-time timer, or {@link Long#MAX_VALUE} when none is registered. */
    public long nextTimerMs = Long.MAX_VALUE;
    /**
     * Before the first evaluation: the wake-up that the samples known to be stored call for ({@link Long#MAX_VALUE}:
     * none). A storage that learns only later which samples it rejected as out of order registers timers at
     * {@link #wakeUp} of all arrived samples, which may be earlier: such a timer then just moves on to this one.
     */
    public long wakeUpMs = Long.MAX_VALUE;
    /** Samples stored in the shard's series as of its last merge, and arrived since, if a storage keeps them apart. */
    public long mergedSamples;
    public long unmergedSamples;

    public boolean evaluated() { return lastEvaluatedMs != Long.MIN_VALUE; }

    /**
     * The wake-up for samples from {@code earliestMs} on that arrived at {@code watermark}: the rule groups may not
     * all have arrived yet, but they have when the watermark passes the wake-up. Never at or before the watermark,
     * though: evaluations there have run (a late sample within query_offset may start a shard).
     */
    public static long wakeUp(long earliestMs, long watermark) {
        if (earliestMs == Long.MAX_VALUE) return Long.MAX_VALUE;
        return watermark == Long.MAX_VALUE ? earliestMs : Math.max(earliestMs, watermark + 1);
    }

    /** Samples from {@code earliestMs} on ({@link Long#MAX_VALUE}: none), arrived at {@code watermark}, are stored. */
    public void stored(long earliestMs, long watermark) {
        if (!evaluated()) wakeUpMs = Math.min(wakeUpMs, wakeUp(earliestMs, watermark));
    }

    public static TypeInformation<ShardClock> typeInfo() {
        return new RecordTypeInfo<>(ShardClock.class, Serializer.INSTANCE);
    }

    public static final class Serializer extends MutableStateSerializer<ShardClock> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(ShardClock c, DataOutputView out) throws IOException {
            out.writeByte(1);
            out.writeLong(c.lastEvaluatedMs);
            out.writeLong(c.nextTimerMs);
            out.writeLong(c.wakeUpMs);
            out.writeLong(c.mergedSamples);
            out.writeLong(c.unmergedSamples);
        }

        @Override
        protected ShardClock read(DataInputView in) throws IOException {
            int version = in.readByte();
            if (version != 1) throw new IOException("unknown shard clock version " + version);
            ShardClock c = new ShardClock();
            c.lastEvaluatedMs = in.readLong();
            c.nextTimerMs = in.readLong();
            c.wakeUpMs = in.readLong();
            c.mergedSamples = in.readLong();
            c.unmergedSamples = in.readLong();
            return c;
        }

        @Override
        public TypeSerializerSnapshot<ShardClock> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ShardClock> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }
}
