package io.flinkruler.remotewrite.internal;

import io.flinkruler.remotewrite.RemoteWriteCommittable;
import io.flinkruler.remotewrite.RemoteWriteCommittableSerializer;
import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The commit half of the remote-write sink, placed between the writers and Flink's committer (which then has
 * nothing left to do). Requests prepared for checkpoint N are held until N completes (two-phase commit:
 * nothing leaves before the upstream state that produced it is durable), then handed to their endpoint's
 * {@link EndpointLane}. Everything not yet delivered, held or queued, is part of this operator's state, so
 * a failure at any point re-sends rather than loses; and since Flink's committer would insist on finishing
 * each checkpoint's requests before the next, keeping them here is what lets a down endpoint wait (up to its
 * bound) without stalling the others.
 *
 * <p>At the end of a bounded input the operator waits until every lane is empty: delivered, or dropped for a
 * counted reason (at the latest after max_wal_time).
 *
 * <p>State is an operator list state (not a union list: Flink refuses union state once some subtasks of a
 * bounded job have finished, which would lose the final checkpoint). After a change of parallelism, Flink
 * spreads the pending requests over the new subtasks; requests of one endpoint then pending on different
 * subtasks are sent independently, so only across such a rescale can a series' samples arrive out of order.
 */
public final class RemoteWriteDeliveryOperator extends AbstractStreamOperator<CommittableMessage<RemoteWriteCommittable>>
        implements OneInputStreamOperator<CommittableMessage<RemoteWriteCommittable>, CommittableMessage<RemoteWriteCommittable>>,
        BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteDeliveryOperator.class);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final SinkSettings settings;
    private final boolean releaseAtCheckpoints;
    private transient RemoteWriteCommittableSerializer serializer;
    private transient ListState<byte[]> state;
    /** Requests waiting for their checkpoint to complete, by checkpoint id. */
    private transient List<Held> held;
    private transient Map<RemoteWriteConfig, EndpointLane> lanes;
    private transient EndpointMetrics.Registry metrics;
    private transient RemoteWriteHttpSender sender;
    private transient ExecutorService senderThreads;
    private transient boolean endOfInput;

    private record Held(long checkpointId, RemoteWriteCommittable request) {}

    /**
     * @param releaseAtCheckpoints true when the job checkpoints: requests leave when their checkpoint completes;
     *                             false (no checkpoints, batch mode): they leave as soon as they arrive, which is at
     *                             the end of the input
     */
    public RemoteWriteDeliveryOperator(SinkSettings settings, boolean releaseAtCheckpoints) {
        this.settings = settings;
        this.releaseAtCheckpoints = releaseAtCheckpoints;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        serializer = new RemoteWriteCommittableSerializer();
        held = new ArrayList<>();
        lanes = new LinkedHashMap<>();
        metrics = new EndpointMetrics.Registry(getMetricGroup());
        sender = new RemoteWriteHttpSender(settings.userAgent());
        senderThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "remote-write-sender-" + THREAD_IDS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        state = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("remote-write-pending-requests", BytePrimitiveArraySerializer.INSTANCE));
        if (!context.isRestored()) return;
        List<RemoteWriteCommittable> restored = new ArrayList<>();
        for (byte[] entry : state.get()) restored.add(decode(entry));
        // restored from a completed checkpoint: everything in it may leave
        release(restored);
        if (!restored.isEmpty()) LOG.info("{} remote-write requests pending at the restored checkpoint are sent again", restored.size());
    }

    @Override
    public void processElement(StreamRecord<CommittableMessage<RemoteWriteCommittable>> element) throws Exception {
        if (!(element.getValue() instanceof CommittableWithLineage<RemoteWriteCommittable> c)) return; // summaries carry nothing
        if (releaseAtCheckpoints) {
            held.add(new Held(c.getCheckpointId(), c.getCommittable()));
        } else {
            release(List.of(c.getCommittable()));
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        List<RemoteWriteCommittable> releasable = new ArrayList<>();
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.checkpointId > checkpointId) continue;
            releasable.add(h.request);
            it.remove();
        }
        release(releasable);
        if (endOfInput && held.isEmpty()) awaitAllDelivered();
    }

    @Override
    public void endInput() throws Exception {
        endOfInput = true;
        if (!releaseAtCheckpoints) awaitAllDelivered();
        // with checkpoints, the final checkpoint's completion releases the last requests and waits for them
    }

    /** Hands requests to their lanes, each lane's in lane order (waiting where a lane's overflow policy says so). */
    private void release(List<RemoteWriteCommittable> requests) throws InterruptedException {
        Map<RemoteWriteConfig, List<RemoteWriteCommittable>> byEndpoint = new LinkedHashMap<>();
        for (RemoteWriteCommittable r : requests) byEndpoint.computeIfAbsent(r.endpoint(), e -> new ArrayList<>()).add(r);
        for (Map.Entry<RemoteWriteConfig, List<RemoteWriteCommittable>> e : byEndpoint.entrySet()) laneFor(e.getKey()).putAll(e.getValue());
    }

    private void awaitAllDelivered() throws InterruptedException {
        for (EndpointLane lane : lanes.values()) lane.awaitEmpty();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<byte[]> entries = new ArrayList<>();
        for (Held h : held) entries.add(encode(h.request));
        for (EndpointLane lane : lanes.values()) {
            for (RemoteWriteCommittable request : lane.snapshot()) entries.add(encode(request));
        }
        state.update(entries);
    }

    @Override
    public void close() throws Exception {
        long undelivered = lanes == null ? 0 : lanes.values().stream().mapToLong(EndpointLane::pendingRequests).sum();
        if (undelivered > 0 || (held != null && !held.isEmpty())) {
            LOG.warn("closing with {} remote-write requests not yet delivered and {} awaiting their checkpoint; "
                    + "they are in the last checkpoint and are sent after a restore from it", undelivered, held == null ? 0 : held.size());
        }
        if (lanes != null) lanes.values().forEach(EndpointLane::close);
        if (senderThreads != null) senderThreads.shutdownNow();
        if (sender != null) sender.close();
        super.close();
    }

    /** The lane of {@code endpoint}, created on first use. */
    EndpointLane laneFor(RemoteWriteConfig endpoint) {
        return lanes.computeIfAbsent(endpoint, e -> {
            EndpointMetrics m = metrics.forEndpoint(e);
            RequestDelivery delivery = new RequestDelivery(e, sender, m, settings, System::currentTimeMillis,
                    d -> Thread.sleep(Math.max(1, d.toMillis())));
            return new EndpointLane(e, delivery, m, settings, senderThreads, System::currentTimeMillis);
        });
    }

    private byte[] encode(RemoteWriteCommittable request) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(serializer.getVersion());
            out.write(serializer.serialize(request));
        }
        return bytes.toByteArray();
    }

    private RemoteWriteCommittable decode(byte[] entry) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            int version = in.readInt();
            return serializer.deserialize(version, in.readAllBytes());
        }
    }
}
