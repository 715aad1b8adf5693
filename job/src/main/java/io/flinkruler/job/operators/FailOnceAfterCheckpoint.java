package io.flinkruler.job.operators;

import io.flinkruler.job.PipelineSettings;
import io.flinkruler.remotewrite.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Fault injection for failover tests: throws mid-stream, each time after a checkpoint has completed
 * since the last (re)start, so that every restart really resumes from a checkpoint with results
 * already delivered. Marker files make each failure fire once across restarts (and processes).
 */
public final class FailOnceAfterCheckpoint extends RichMapFunction<WriteBatch, WriteBatch> implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    private final PipelineSettings.FailureInjection injection;
    private transient boolean checkpointCompleted;

    public FailOnceAfterCheckpoint(PipelineSettings.FailureInjection injection) { this.injection = injection; }

    @Override
    public WriteBatch map(WriteBatch batch) throws Exception {
        if (!checkpointCompleted || batch.size() == 0) return batch;
        long ts = batch.timestampMs(0);
        for (int k = 0; k < injection.times(); k++) {
            Path marker = injection.marker(k);
            if (Files.exists(marker)) continue;
            if (ts < injection.afterTimestampMs() + k * injection.everyMs()) return batch;
            Files.writeString(marker, "failed at " + ts + "\n");
            throw new IllegalStateException("injected failure " + (k + 1) + " of " + injection.times() + " (failover test) at " + ts);
        }
        return batch;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) { checkpointCompleted = true; }
}
