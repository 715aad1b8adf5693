package io.flinkruler.remotewrite.internal;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.RemoteWriteCommittable;
import io.flinkruler.remotewrite.WriteBatch;
import io.flinkruler.remotewrite.WriteRequestCodec;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pre-commit half of the remote-write sink: buffers samples per endpoint between checkpoints and, at each
 * {@link #prepareCommit()}, turns every endpoint's buffer into encoded requests. Nothing is sent here;
 * the buffers are not checkpointed because everything written since the last checkpoint is replayed by
 * the upstream operators after a restore.
 */
public final class RemoteWriteSinkWriter implements CommittingSinkWriter<WriteBatch, RemoteWriteCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteSinkWriter.class);

    private final int maxSamplesPerSend;
    private final int maxBufferedSamples;
    private final int subtask;
    private final Map<RemoteWriteConfig, EndpointBuffer> pending = new LinkedHashMap<>();
    private final Counter invalidSamplesDropped;
    private final Counter samplesWithoutTarget;
    private final Counter samplesDroppedByRelabeling;
    private long nextEpoch;
    private int pendingSamples;
    private boolean warnedSinceLastCommit;

    /**
     * @param restoredCheckpointId the checkpoint this writer resumes from (0 for a fresh start); epochs start
     *                             above it, and as there is at most one epoch per checkpoint, they stay above
     *                             those of committables restored from that checkpoint
     */
    public RemoteWriteSinkWriter(int maxSamplesPerSend, int subtask, long restoredCheckpointId, MetricGroup metrics) {
        this(maxSamplesPerSend, 500_000, subtask, restoredCheckpointId, metrics);
    }

    /**
     * @param maxBufferedSamples samples buffered unencoded per endpoint; beyond this they are encoded into
     *                           (compressed) requests right away, which bounds the writer's memory between
     *                           checkpoints to compressed size
     */
    public RemoteWriteSinkWriter(int maxSamplesPerSend, int maxBufferedSamples, int subtask, long restoredCheckpointId, MetricGroup metrics) {
        this.maxSamplesPerSend = maxSamplesPerSend;
        this.maxBufferedSamples = maxBufferedSamples;
        this.subtask = subtask;
        this.nextEpoch = restoredCheckpointId + 1;
        this.invalidSamplesDropped = metrics.counter("invalidSamplesDropped");
        this.samplesWithoutTarget = metrics.counter("samplesWithoutTarget");
        this.samplesDroppedByRelabeling = metrics.counter("samplesDroppedByRelabeling");
        metrics.gauge("pendingSamples", (Gauge<Integer>) () -> pendingSamples);
    }

    @Override
    public void write(WriteBatch batch, Context context) {
        if (batch.targets().isEmpty()) {
            samplesWithoutTarget.inc(batch.size());
            return;
        }
        List<EndpointBuffer> buffers = new ArrayList<>(batch.targets().size());
        for (RemoteWriteConfig target : batch.targets()) buffers.add(pending.computeIfAbsent(target, EndpointBuffer::new));
        for (int i = 0; i < batch.size(); i++) {
            Labels series = batch.series(i);
            if (!WriteRequestCodec.hasValidLabels(series)) {
                invalidSamplesDropped.inc();
                if (warnedSinceLastCommit) continue;
                warnedSinceLastCommit = true;
                LOG.warn("dropping samples of tenant {} with invalid labels (need sorted, unique, with {}): {}", batch.tenant(), Labels.METRIC_NAME, series + " (further ones until the next checkpoint only counted in invalidSamplesDropped)");
                continue;
            }
            for (EndpointBuffer buffer : buffers) {
                Labels relabeled = buffer.relabel(series);
                if (relabeled == null) {
                    samplesDroppedByRelabeling.inc();
                    continue;
                }
                buffer.assembler.add(relabeled, batch.timestampMs(i), batch.value(i));
                pendingSamples++;
            }
        }
        for (EndpointBuffer buffer : buffers) {
            if (buffer.assembler.sampleCount() >= maxBufferedSamples) buffer.encodeBuffered(maxSamplesPerSend);
        }
    }

    @Override
    public void flush(boolean endOfInput) {
        // Requests are built in prepareCommit, which Flink calls right after this (also at end of input).
    }

    @Override
    public Collection<RemoteWriteCommittable> prepareCommit() {
        long epoch = nextEpoch++;
        List<RemoteWriteCommittable> committables = new ArrayList<>();
        for (Map.Entry<RemoteWriteConfig, EndpointBuffer> entry : pending.entrySet()) {
            EndpointBuffer buffer = entry.getValue();
            buffer.encodeBuffered(maxSamplesPerSend);
            List<RequestAssembler.EncodedRequest> requests = buffer.encoded;
            ProtobufMessage format = entry.getKey().protobufMessage();
            long now = System.currentTimeMillis();
            for (int sequence = 0; sequence < requests.size(); sequence++) {
                RequestAssembler.EncodedRequest request = requests.get(sequence);
                committables.add(new RemoteWriteCommittable(entry.getKey(), subtask, epoch, sequence, format, request.snappyPayload(),
                        request.sampleCount(), request.seriesCount(), request.minTimestampMs(), request.maxTimestampMs(), now));
            }
        }
        pending.clear();
        pendingSamples = 0;
        warnedSinceLastCommit = false;
        return committables;
    }

    @Override
    public void close() {
        pending.clear();
    }

    /**
     * What one endpoint gets until the next checkpoint. Relabeling results are cached per series until then:
     * rule groups write the same series at every evaluation.
     */
    private static final class EndpointBuffer {
        final RequestAssembler assembler = new RequestAssembler();
        /** Requests already encoded since the last checkpoint, in order. */
        final List<RequestAssembler.EncodedRequest> encoded = new ArrayList<>();
        private final RemoteWriteConfig endpoint;
        private final Relabeler relabeler;
        private final Map<Labels, Labels> relabeled = new HashMap<>();

        EndpointBuffer(RemoteWriteConfig endpoint) {
            this.endpoint = endpoint;
            this.relabeler = new Relabeler(endpoint.writeRelabelConfigs());
        }

        /** Encodes what is buffered (the endpoint's max_samples_per_send, else the sink's, per request). */
        void encodeBuffered(int defaultMaxSamplesPerSend) {
            if (assembler.isEmpty()) return;
            Integer endpointMax = endpoint.queue().maxSamplesPerSend();
            encoded.addAll(assembler.drain(endpointMax != null ? endpointMax : defaultMaxSamplesPerSend, endpoint.protobufMessage()));
        }

        /** The series as the endpoint gets it, or null when write_relabel_configs drop it. */
        Labels relabel(Labels series) {
            if (relabeler.isEmpty()) return series;
            Labels cached = relabeled.get(series);
            if (cached != null) return cached == DROPPED ? null : cached;
            Labels result = relabeler.apply(series);
            if (result != null && !WriteRequestCodec.hasValidLabels(result)) result = null;
            relabeled.put(series, result == null ? DROPPED : result);
            return result;
        }
    }

    private static final Labels DROPPED = Labels.of("__name__", "dropped by relabeling");
}
