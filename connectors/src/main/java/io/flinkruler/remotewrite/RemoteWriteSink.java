package io.flinkruler.remotewrite;

import io.flinkruler.remotewrite.internal.RemoteWriteCommitter;
import io.flinkruler.remotewrite.internal.RemoteWriteDeliveryOperator;
import io.flinkruler.remotewrite.internal.RemoteWriteSinkWriter;
import io.flinkruler.remotewrite.internal.SinkSettings;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Prometheus remote-write sink (protocol 1.0 and 2.0) with two-phase commit. Writers encode each
 * checkpoint's samples into requests ({@link RemoteWriteCommittable}); once that checkpoint is complete the
 * delivery stage sends them, each endpoint on its own in-order lane with its own bounded queue, retries,
 * protocol fallback and poison-series isolation. Requests not yet delivered are part of the delivery stage's
 * checkpointed state, so a failure re-sends and never loses them; a sample is only ever dropped for a counted,
 * logged reason (rejected by the receiver, max_wal_time, sample_age_limit, or the drop_oldest overflow policy).
 * Delivery is at-least-once with identical re-sends (receivers treat an identical sample as a no-op), and every
 * series reaches its endpoint in timestamp order provided a series always goes to the same writer subtask.
 *
 * <pre>{@code
 * stream.sinkTo(RemoteWriteSink.builder().maxSamplesPerSend(2000).maxWalTime(Duration.ofHours(4)).build())
 *       .uid("remote-write-sink");
 * }</pre>
 *
 * The sink must be given a uid: its delivery stage is stateful and has a fixed uid of its own
 * ({@link #DELIVERY_UID}, which Flink prefixes with the sink's), and Flink refuses a sink without a uid
 * whose topology sets one.
 */
public final class RemoteWriteSink implements Sink<WriteBatch>, SupportsCommitter<RemoteWriteCommittable>,
        SupportsPreCommitTopology<RemoteWriteCommittable, RemoteWriteCommittable> {
    private static final long serialVersionUID = 1L;
    /** Operator uid of the delivery stage (its state holds the undelivered requests). */
    public static final String DELIVERY_UID = "flink-ruler-remote-write-delivery";

    private final SinkSettings settings;

    RemoteWriteSink(SinkSettings settings) {
        this.settings = settings;
    }

    public static RemoteWriteSinkBuilder builder() {
        return new RemoteWriteSinkBuilder();
    }

    public SinkSettings settings() {
        return settings;
    }

    @Override
    public CommittingSinkWriter<WriteBatch, RemoteWriteCommittable> createWriter(WriterInitContext context) {
        long restored = context.getRestoredCheckpointId().orElse(0L);
        return new RemoteWriteSinkWriter(settings.maxSamplesPerSend(), settings.writerMaxBufferedSamples(),
                context.getTaskInfo().getIndexOfThisSubtask(), restored, context.metricGroup());
    }

    @Override
    public DataStream<CommittableMessage<RemoteWriteCommittable>> addPreCommitTopology(
            DataStream<CommittableMessage<RemoteWriteCommittable>> committables) {
        StreamExecutionEnvironment env = committables.getExecutionEnvironment();
        boolean batch = env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
        boolean releaseAtCheckpoints = !batch && env.getCheckpointConfig().isCheckpointingEnabled();
        return committables
                .transform("remote-write-delivery", CommittableMessageTypeInfo.of(RemoteWriteCommittableSerializer::new),
                        new RemoteWriteDeliveryOperator(settings, releaseAtCheckpoints))
                .uid(DELIVERY_UID);
    }

    @Override
    public SimpleVersionedSerializer<RemoteWriteCommittable> getWriteResultSerializer() {
        return new RemoteWriteCommittableSerializer();
    }

    @Override
    public Committer<RemoteWriteCommittable> createCommitter(CommitterInitContext context) {
        return new RemoteWriteCommitter(settings, context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<RemoteWriteCommittable> getCommittableSerializer() {
        return new RemoteWriteCommittableSerializer();
    }
}
