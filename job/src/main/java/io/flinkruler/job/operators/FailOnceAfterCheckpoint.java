package io.flinkruler.job.operators;

import io.flinkruler.job.PipelineSettings;
import io.flinkruler.remotewrite.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Fault injection for failover tests: throws once, mid-stream, after at least one checkpoint has
 * completed, so that the restart really resumes from a checkpoint with results already delivered.
 * A marker file makes it fire only once across restarts (and across processes on a cluster).
 */
public final class FailOnceAfterCheckpoint extends RichMapFunction<WriteBatch, WriteBatch> implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    private final PipelineSettings.FailureInjection injection;
    private transient boolean checkpointCompleted;

    public FailOnceAfterCheckpoint(PipelineSettings.FailureInjection injection) { this.injection = injection; }

    @Override
    public WriteBatch map(WriteBatch batch) throws Exception {
        if (checkpointCompleted && batch.size() > 0 && batch.timestampMs(0) >= injection.afterTimestampMs()) {
            Path marker = Path.of(injection.markerFile());
            if (!Files.exists(marker)) {
                Files.writeString(marker, "failed at " + batch.timestampMs(0) + "\n");
                throw new IllegalStateException("injected failure (failover test) at " + batch.timestampMs(0));
            }
        }
        return batch;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) { checkpointCompleted = true; }
}
