package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.internal.EndpointLane;
import io.flinkruler.remotewrite.internal.EndpointMetrics;
import io.flinkruler.remotewrite.internal.RemoteWriteHttpSender;
import io.flinkruler.remotewrite.internal.RemoteWriteSinkWriter;
import io.flinkruler.remotewrite.internal.RequestDelivery;
import io.flinkruler.remotewrite.internal.SinkSettings;
import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writers, lanes and their sender as the delivery operator wires them, with a clock tests can move and real
 * HTTP to local receivers. Requests are passed through the checkpoint serializer before they reach a lane.
 */
final class DeliveryFixture implements AutoCloseable {
    static final long T0 = 1_767_225_600_000L;
    static final Labels A = Labels.of("__name__", "job:up", "job", "a");
    static final Labels B = Labels.of("__name__", "job:up", "job", "b");

    final RecordingMetricGroup metrics = new RecordingMetricGroup();
    final EndpointMetrics.Registry registry = new EndpointMetrics.Registry(metrics);
    final RemoteWriteHttpSender sender = new RemoteWriteHttpSender("flink-ruler/test");
    final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-lane");
        t.setDaemon(true);
        return t;
    });
    /** Wall clock of the lanes: starts at the real time, tests may move it ahead. */
    final AtomicLong clockMs = new AtomicLong(System.currentTimeMillis());
    private final List<EndpointLane> lanes = new ArrayList<>();

    static SinkSettings settings() {
        return settings(Duration.ofHours(4), Duration.ofMinutes(5), Duration.ofMinutes(1), SinkSettings.OverflowPolicy.BACKPRESSURE, 1_000_000);
    }

    static SinkSettings settings(Duration maxWalTime, Duration minWalTime, Duration walTruncateFrequency,
                                 SinkSettings.OverflowPolicy policy, long maxPendingSamples) {
        return new SinkSettings(3, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ZERO, "flink-ruler/test", 1,
                maxWalTime, minWalTime, walTruncateFrequency, policy, maxPendingSamples, 64L << 20, 500_000);
    }

    EndpointLane lane(RemoteWriteConfig endpoint) {
        return lane(endpoint, settings());
    }

    EndpointLane lane(RemoteWriteConfig endpoint, SinkSettings settings) {
        EndpointMetrics m = registry.forEndpoint(endpoint);
        RequestDelivery delivery = new RequestDelivery(endpoint, sender, m, settings, clockMs::get, d -> Thread.sleep(Math.max(1, d.toMillis())));
        EndpointLane lane = new EndpointLane(endpoint, delivery, m, settings, threads, clockMs::get);
        lanes.add(lane);
        return lane;
    }

    /** {@code steps} evaluations of A and B (values step and -step), 3 samples per request, as checkpointed requests. */
    List<RemoteWriteCommittable> requests(RemoteWriteConfig endpoint, int steps, long firstEpochAbove) throws IOException {
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(3, 0, firstEpochAbove, new UnregisteredMetricsGroup());
        for (int step = 0; step < steps; step++) {
            long t = T0 + step * 15_000L;
            writer.write(new WriteBatch("anonymous", List.of(endpoint), new Labels[] {B, A}, new long[] {t, t}, new double[] {step, -step}), null);
        }
        return viaCheckpoint(new ArrayList<>(writer.prepareCommit()));
    }

    static List<RemoteWriteCommittable> viaCheckpoint(List<RemoteWriteCommittable> committables) throws IOException {
        RemoteWriteCommittableSerializer serializer = new RemoteWriteCommittableSerializer();
        List<RemoteWriteCommittable> copies = new ArrayList<>();
        for (RemoteWriteCommittable c : committables) copies.add(serializer.deserialize(serializer.getVersion(), serializer.serialize(c)));
        return copies;
    }

    /** A's samples then B's, of {@code steps} evaluations, as the receiver stores them. */
    static List<ReceivedSample> expectedInSendOrder(String tenant, int steps) {
        List<ReceivedSample> expected = new ArrayList<>();
        for (Labels s : List.of(A, B)) {
            for (int step = 0; step < steps; step++) {
                expected.add(new ReceivedSample(tenant, s, T0 + step * 15_000L, s.equals(A) ? -step : step));
            }
        }
        return expected;
    }

    /** The same request as if prepared at {@code ms} (wall clock). */
    static RemoteWriteCommittable preparedAt(RemoteWriteCommittable c, long ms) {
        return new RemoteWriteCommittable(c.endpoint(), c.writerSubtask(), c.epoch(), c.sequence(), c.format(), c.snappyPayload(),
                c.sampleCount(), c.seriesCount(), c.minTimestampMs(), c.maxTimestampMs(), ms);
    }

    static void putAll(EndpointLane lane, List<RemoteWriteCommittable> requests) throws InterruptedException {
        lane.putAll(requests);
    }

    static void awaitEmpty(EndpointLane lane) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (lane.pendingRequests() > 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("lane still has " + lane.pendingRequests() + " requests");
            Thread.sleep(5);
        }
    }

    static String prefix(RemoteWriteConfig endpoint) {
        return "remote_write_endpoint." + endpoint.displayName() + ".";
    }

    @Override
    public void close() throws IOException {
        lanes.forEach(EndpointLane::close);
        threads.shutdownNow();
        sender.close();
    }
}
