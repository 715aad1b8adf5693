package io.flinkruler.remotewrite;

import io.flinkruler.remotewrite.internal.RemoteWriteCommitter;
import io.flinkruler.remotewrite.internal.RemoteWriteHttpSender;
import io.flinkruler.remotewrite.internal.RemoteWriteSinkWriter;
import io.flinkruler.remotewrite.internal.SinkSettings;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Prometheus remote-write 1.0 sink with two-phase commit: writers encode each checkpoint's samples into
 * requests ({@link RemoteWriteCommittable}), committers POST them once the checkpoint is complete. Delivery
 * is at-least-once with identical re-sends (receivers treat an identical sample as a no-op), and every
 * series reaches its endpoint in timestamp order provided a series always goes to the same writer subtask.
 *
 * <pre>{@code
 * stream.sinkTo(RemoteWriteSink.builder().maxSamplesPerSend(2000).build());
 * }</pre>
 */
public final class RemoteWriteSink implements Sink<WriteBatch>, SupportsCommitter<RemoteWriteCommittable> {
    private static final long serialVersionUID = 1L;

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
        return new RemoteWriteSinkWriter(settings.maxSamplesPerSend(), context.getTaskInfo().getIndexOfThisSubtask(),
                restored, context.metricGroup());
    }

    @Override
    public Committer<RemoteWriteCommittable> createCommitter(CommitterInitContext context) {
        return new RemoteWriteCommitter(settings, new RemoteWriteHttpSender(settings.userAgent()), context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<RemoteWriteCommittable> getCommittableSerializer() {
        return new RemoteWriteCommittableSerializer();
    }
}
