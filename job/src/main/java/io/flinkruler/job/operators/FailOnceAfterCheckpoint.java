package io.flinkruler.job.operators;

import io.flinkruler.job.PipelineSettings;
import io.flinkruler.remotewrite.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Fault injection for failover tests: throws mid-stream — the first time after a checkpoint has
 * completed, so that the restart really resumes from a checkpoint with results already delivered. Marker files make each failure fire once across restarts (and processes).
 */
public final class FailOnceAfterCheckpoint extends RichMapFunction<WriteBatch, WriteBatch> implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    private final PipelineSettings.FailureInjection injection;
    private transient boolean checkpointCompleted;

    public FailOnceAfterCheckpoint(PipelineSettings.FailureInjection injection) { this.injection = injection; }

    @Override
    public WriteBatch map(WriteBatch batch) throws Exception {
        if (batch.size() == 0) return batch;
        long ts = batch.timestampMs(0);
        for (int k = 0; k < injection.times(); k++) {
            Path marker = injection.marker(k);
            if (Files.exists(marker)) continue;
            // the first failure waits for a completed checkpoint; later ones follow a restore from one already
            // (a restarted job may catch up before its next checkpoint completes)
            if (k == 0 && !checkpointCompleted) return batch;
            if (ts < injection.afterTimestampMs() + k * injection.everyMs()) return batch;
            Files.writeString(marker, "failed at " + ts + "\n");
            throw new IllegalStateException("injected failure " + (k + 1) + " of " + injection.times() + " (failover test) at " + ts);
        }
        return batch;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) { checkpointCompleted = true; }
}
