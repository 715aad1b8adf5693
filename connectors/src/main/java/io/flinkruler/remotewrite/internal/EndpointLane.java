package io.flinkruler.remotewrite.internal;

import io.flinkruler.remotewrite.RemoteWriteCommittable;
import io.flinkruler.remotewrite.internal.EndpointMetrics.DropReason;
import io.flinkruler.remotewrite.internal.SinkSettings.OverflowPolicy;
import io.flinkruler.rules.RemoteWriteConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * The pending requests of one endpoint and the sender that works through them, one at a time, in order
 * (writer epoch, then writer subtask, then sequence: every series in timestamp order). A request stays
 * pending, and in {@link #snapshot()}, until it is delivered or dropped, so that a checkpoint taken meanwhile
 * holds it. Each lane has its own thread while it has work, so a slow or unreachable endpoint delays only
 * itself.
 *
 * <p>Bounds: at most {@code capacity} samples (queue_config.capacity, else the sink's default) and
 * {@code maxPendingBytes} bytes pending. A request that does not fit is handled by the overflow policy:
 * {@link OverflowPolicy#BACKPRESSURE} makes {@link #put} wait until there is room; {@link OverflowPolicy#DROP_OLDEST}
 * drops the oldest pending requests that are older than min_wal_time and waits only if the younger ones alone
 * fill the lane. A lone request larger than the bounds is always accepted. Every {@code wal_truncate_frequency}
 * the lane drops its pending requests older than max_wal_time (the one being sent at its next attempt), so a
 * request lives at most max_wal_time plus wal_truncate_frequency.
 */
public final class EndpointLane {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointLane.class);
    /** Lane order: by checkpoint (epoch), then writer subtask, then position within that writer's epoch. */
    static final Comparator<RemoteWriteCommittable> LANE_ORDER = Comparator
            .comparingLong(RemoteWriteCommittable::epoch)
            .thenComparingInt(RemoteWriteCommittable::writerSubtask)
            .thenComparingInt(RemoteWriteCommittable::sequence);

    private record Key(long epoch, int subtask, int sequence) implements Comparable<Key> {
        static Key of(RemoteWriteCommittable c) { return new Key(c.epoch(), c.writerSubtask(), c.sequence()); }

        @Override
        public int compareTo(Key o) {
            int c = Long.compare(epoch, o.epoch);
            if (c == 0) c = Integer.compare(subtask, o.subtask);
            return c != 0 ? c : Integer.compare(sequence, o.sequence);
        }
    }

    private final RemoteWriteConfig endpoint;
    private final RequestDelivery delivery;
    private final EndpointMetrics metrics;
    private final SinkSettings settings;
    private final ExecutorService threads;
    private final LongSupplier clockMs;
    private final long capacitySamples;
    private final long capacityBytes;
    private final TreeMap<Key, RemoteWriteCommittable> pending = new TreeMap<>();
    private Key inFlight;
    /** Set by the age check when the request being sent is older than max_wal_time; read by the sender thread. */
    private boolean inFlightExpired;
    private long pendingSamples;
    private long pendingBytes;
    private Future<?> drainer;
    private boolean closed;
    private long nextSweepMs;

    public EndpointLane(RemoteWriteConfig endpoint, RequestDelivery delivery, EndpointMetrics metrics, SinkSettings settings,
                        ExecutorService threads, LongSupplier clockMs) {
        this.endpoint = endpoint;
        this.delivery = delivery;
        this.metrics = metrics;
        this.settings = settings;
        this.threads = threads;
        this.clockMs = clockMs;
        Integer capacity = endpoint.queue().capacity();
        this.capacitySamples = capacity != null ? capacity : settings.maxPendingSamples();
        this.capacityBytes = settings.maxPendingBytes();
        this.nextSweepMs = clockMs.getAsLong() + settings.walTruncateFrequency().toMillis();
        metrics.pendingGauges(this::pendingRequests, this::pendingSamples, this::pendingBytes);
    }

    public RemoteWriteConfig endpoint() { return endpoint; }

    public synchronized long pendingRequests() { return pending.size(); }
    public synchronized long pendingSamples() { return pendingSamples; }
    public synchronized long pendingBytes() { return pendingBytes; }

    /**
     * Adds a request, waiting under the overflow policy while the lane is full. A request already pending
     * (same position) is ignored: checkpoints may hand the same request in twice after a restore.
     */
    public synchronized void put(RemoteWriteCommittable request) throws InterruptedException {
        Key key = Key.of(request);
        if (pending.containsKey(key)) return;
        while (!closed && !fits(request)) {
            if (settings.overflowPolicy() == OverflowPolicy.DROP_OLDEST && dropOldestFor(request)) continue;
            wait(1000);
            sweepIfDue();
        }
        pending.put(key, request);
        pendingSamples += request.sampleCount();
        pendingBytes += request.snappyPayload().length;
        startDrainer();
    }

    private boolean fits(RemoteWriteCommittable request) {
        if (pending.isEmpty()) return true;
        return pendingSamples + request.sampleCount() <= capacitySamples && pendingBytes + request.snappyPayload().length <= capacityBytes;
    }

    /** Drops the oldest pending request that is not being sent and is older than min_wal_time; false if none. */
    private boolean dropOldestFor(RemoteWriteCommittable incoming) {
        long now = clockMs.getAsLong();
        for (Iterator<Map.Entry<Key, RemoteWriteCommittable>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, RemoteWriteCommittable> e = it.next();
            if (e.getKey().equals(inFlight)) continue;
            RemoteWriteCommittable oldest = e.getValue();
            if (now - oldest.preparedAtMs() < settings.minWalTime().toMillis()) return false;
            it.remove();
            forget(oldest);
            metrics.requestsDropped.inc();
            metrics.dropped(DropReason.OVERFLOW, oldest.sampleCount());
            LOG.error("remote write to {}: {} pending samples reached the bound ({} samples, {} bytes); dropping the oldest "
                            + "request ({} samples, pending for {} s) under the drop_oldest policy", endpoint.displayName(),
                    pendingSamples, capacitySamples, capacityBytes, oldest.sampleCount(), (now - oldest.preparedAtMs()) / 1000);
            return true;
        }
        return false;
    }

    /**
     * Adds requests as {@link #put} does, in lane order whatever order they come in, so that the sender never
     * starts on a later one of them before an earlier one is pending.
     */
    public void putAll(java.util.Collection<RemoteWriteCommittable> requests) throws InterruptedException {
        List<RemoteWriteCommittable> sorted = new ArrayList<>(requests);
        sorted.sort(LANE_ORDER);
        for (RemoteWriteCommittable r : sorted) put(r);
    }

    /** Every pending request (including the one being sent), in send order: what a checkpoint must keep. */
    public synchronized List<RemoteWriteCommittable> snapshot() {
        return new ArrayList<>(pending.values());
    }

    /** Waits until nothing is pending (everything delivered or dropped). */
    public synchronized void awaitEmpty() throws InterruptedException {
        while (!pending.isEmpty() && !closed) wait(1000);
    }

    /** Stops sending; pending requests stay in {@link #snapshot()}. */
    public void close() {
        Future<?> running;
        synchronized (this) {
            closed = true;
            running = drainer;
            notifyAll();
        }
        if (running != null) running.cancel(true);
    }

    private void startDrainer() {
        if (drainer == null && !closed && !pending.isEmpty()) drainer = threads.submit(this::drain);
    }

    private void drain() {
        boolean released = false;
        try {
            while (true) {
                RemoteWriteCommittable head;
                synchronized (this) {
                    sweepIfDue();
                    if (closed || pending.isEmpty()) {
                        drainer = null;
                        released = true;
                        return;
                    }
                    Map.Entry<Key, RemoteWriteCommittable> first = pending.firstEntry();
                    inFlight = first.getKey();
                    inFlightExpired = false;
                    head = first.getValue();
                }
                delivery.deliver(head, this::inFlightExpired);
                synchronized (this) {
                    inFlight = null;
                    if (pending.remove(Key.of(head)) != null) forget(head);
                    notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("remote write to {}: sender stopped unexpectedly; pending requests are kept", endpoint.displayName(), e);
        } finally {
            if (!released) {
                synchronized (this) {
                    // only this thread's exit clears it: a drainer started after a normal exit is never clobbered
                    inFlight = null;
                    drainer = null;
                    notifyAll();
                }
            }
        }
    }

    /** Runs the age check when due; whether the request being sent is to be dropped. Called before every attempt. */
    private synchronized boolean inFlightExpired() {
        sweepIfDue();
        return inFlightExpired;
    }

    /** Drops pending requests (not the one being sent) older than max_wal_time, at most every wal_truncate_frequency. */
    private void sweepIfDue() {
        long now = clockMs.getAsLong();
        if (now < nextSweepMs) return;
        nextSweepMs = now + settings.walTruncateFrequency().toMillis();
        long droppedSamples = 0;
        int droppedRequests = 0;
        for (Iterator<Map.Entry<Key, RemoteWriteCommittable>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, RemoteWriteCommittable> e = it.next();
            // read before remove(): TreeMap's iterator may reuse the removed entry for its successor
            RemoteWriteCommittable request = e.getValue();
            if (!delivery.expired(request)) continue;
            if (e.getKey().equals(inFlight)) {
                inFlightExpired = true; // dropped and counted by the sender at its next attempt
                continue;
            }
            it.remove();
            forget(request);
            droppedSamples += request.sampleCount();
            droppedRequests++;
        }
        if (droppedRequests > 0) {
            metrics.requestsDropped.inc(droppedRequests);
            metrics.dropped(DropReason.MAX_WAL_TIME, droppedSamples);
            LOG.error("remote write to {}: dropping {} samples in {} requests pending for longer than max_wal_time {}",
                    endpoint.displayName(), droppedSamples, droppedRequests, settings.maxWalTime());
            notifyAll();
        }
    }

    private void forget(RemoteWriteCommittable request) {
        pendingSamples -= request.sampleCount();
        pendingBytes -= request.snappyPayload().length;
    }

    /** Runs the age check now regardless of wal_truncate_frequency (for tests and shutdown paths). */
    synchronized void sweepNow() {
        nextSweepMs = Long.MIN_VALUE;
        sweepIfDue();
    }
}
