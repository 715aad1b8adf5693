package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.internal.EndpointLane;
import io.flinkruler.remotewrite.internal.RemoteWriteSinkWriter;
import io.flinkruler.remotewrite.internal.SinkSettings.OverflowPolicy;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;
import io.flinkruler.rules.RemoteWriteConfig.QueueConfig;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.flinkruler.remotewrite.DeliveryFixture.A;
import static io.flinkruler.remotewrite.DeliveryFixture.B;
import static io.flinkruler.remotewrite.DeliveryFixture.T0;
import static io.flinkruler.remotewrite.DeliveryFixture.awaitEmpty;
import static io.flinkruler.remotewrite.DeliveryFixture.expectedInSendOrder;
import static io.flinkruler.remotewrite.DeliveryFixture.prefix;
import static io.flinkruler.remotewrite.DeliveryFixture.putAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lanes deliver checkpointed requests to local receivers that inject faults. */
class EndpointLaneTest {
    private LocalRemoteWriteReceiver receiver;
    private DeliveryFixture fixture;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        receiver = LocalRemoteWriteReceiver.start(0);
        fixture = new DeliveryFixture();
        toClose.add(receiver);
        toClose.add(fixture);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) c.close();
    }

    private static RemoteWriteConfig withQueue(RemoteWriteConfig endpoint, QueueConfig queue) {
        return endpoint.toBuilder().queue(queue).build();
    }

    @Test
    void everySampleArrivesInOrderThroughA503StormWithRequestsHandedInShuffled() throws Exception {
        List<RemoteWriteCommittable> requests = fixture.requests(receiver.endpoint(), 10, 0);
        assertEquals(7, requests.size());
        Collections.shuffle(requests, new Random(7));
        receiver.failNext(25, 503, "ingester unavailable");
        EndpointLane lane = fixture.lane(receiver.endpoint());

        putAll(lane, requests);
        awaitEmpty(lane);

        assertEquals(expectedInSendOrder("anonymous", 10), receiver.samples());
        String prefix = prefix(receiver.endpoint());
        assertEquals(20, fixture.metrics.count(prefix + "samplesSent"));
        assertEquals(7, fixture.metrics.count(prefix + "requestsSent"));
        assertEquals(25, fixture.metrics.count(prefix + "requestsFailed"));
        assertEquals(25, fixture.metrics.count(prefix + "requestsRetried"));
        assertEquals(0, fixture.metrics.count(prefix + "samplesDropped"));
        assertTrue((Long) fixture.metrics.gaugeValue(prefix + "lastSuccessfulSendTimeMs") > 0);
        assertEquals(0L, fixture.metrics.gaugeValue(prefix + "pendingRequests"));
        assertEquals(32, fixture.metrics.histogramCount(prefix + "requestDurationMs"), "one duration per attempt");
    }

    @Test
    void endpointDownForALongStretchThenBackGetsEverySampleInOrder() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RemoteWriteConfig endpoint = RemoteWriteConfig.ofUrl("http://127.0.0.1:" + port + LocalRemoteWriteReceiver.WRITE_PATH);
        EndpointLane lane = fixture.lane(endpoint);
        // three checkpoints' worth of requests arrive while nothing listens
        putAll(lane, fixture.requests(endpoint, 10, 0));
        Thread.sleep(300);
        assertEquals(7, lane.pendingRequests());
        assertEquals(7, lane.snapshot().size(), "a checkpoint now keeps every undelivered request");
        assertTrue(fixture.metrics.count(prefix(endpoint) + "requestsFailed") > 5);

        try (LocalRemoteWriteReceiver late = LocalRemoteWriteReceiver.start(port)) {
            awaitEmpty(lane);
            assertEquals(expectedInSendOrder("anonymous", 10), late.samples());
        }
    }

    @Test
    void poisonSeriesAreFoundByBisectingAndOnlyTheyAreDropped() throws Exception {
        List<Labels> series = new ArrayList<>();
        for (int i = 0; i < 40; i++) series.add(Labels.of("__name__", "job:up", "instance", "i" + i));
        Labels badOne = series.get(13);
        Labels badTwo = series.get(31);
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(1000, 0, 0, new UnregisteredMetricsGroup());
        for (int step = 0; step < 3; step++) {
            long t = T0 + step * 15_000L;
            Labels[] labels = series.toArray(new Labels[0]);
            long[] times = new long[labels.length];
            double[] values = new double[labels.length];
            java.util.Arrays.fill(times, t);
            java.util.Arrays.fill(values, step);
            writer.write(new WriteBatch("anonymous", List.of(receiver.endpoint()), labels, times, values), null);
        }
        List<RemoteWriteCommittable> requests = DeliveryFixture.viaCheckpoint(new ArrayList<>(writer.prepareCommit()));
        assertEquals(1, requests.size(), "one request of 40 series");
        receiver.rejectSeries(l -> l.equals(badOne) || l.equals(badTwo), "out of bounds");
        EndpointLane lane = fixture.lane(receiver.endpoint());

        putAll(lane, requests);
        awaitEmpty(lane);

        List<ReceivedSample> received = receiver.samples();
        assertEquals(38 * 3, received.size());
        assertTrue(received.stream().noneMatch(s -> s.labels().equals(badOne) || s.labels().equals(badTwo)));
        String prefix = prefix(receiver.endpoint());
        assertEquals(6, fixture.metrics.count(prefix + "reason.invalid_series.samplesDropped"));
        assertEquals(6, fixture.metrics.count(prefix + "samplesDropped"));
        assertEquals(114, fixture.metrics.count(prefix + "samplesSent"));
        long rejected = receiver.requests().stream().filter(r -> r.status() == 400).count();
        assertTrue(rejected <= 2 * (1 + 2 * 6), "bisecting costs O(bad series * log(series)) requests, was " + rejected);
    }

    @Test
    void otherClientErrorsDropTheWholeRequestWithTheReceiversMessage() throws Exception {
        receiver.failNext(1, 403, "tenant suspended");
        EndpointLane lane = fixture.lane(receiver.endpoint());
        putAll(lane, fixture.requests(receiver.endpoint(), 10, 0));
        awaitEmpty(lane);

        List<ReceivedSample> expected = expectedInSendOrder("anonymous", 10);
        assertEquals(expected.subList(3, expected.size()), receiver.samples());
        String prefix = prefix(receiver.endpoint());
        assertEquals(3, fixture.metrics.count(prefix + "reason.rejected.samplesDropped"));
        assertEquals(1, fixture.metrics.count(prefix + "requestsDropped"));
        assertEquals(0, fixture.metrics.count(prefix + "requestsRetried"));
    }

    @Test
    void tooManyRequestsHonoursRetryAfterAndIsDroppedWhenRetryOnHttp429IsOff() throws Exception {
        receiver.failNext(1, 429, "slow down", Duration.ofSeconds(1));
        EndpointLane lane = fixture.lane(receiver.endpoint());
        long start = System.nanoTime();
        putAll(lane, fixture.requests(receiver.endpoint(), 1, 0));
        awaitEmpty(lane);
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(950).toNanos(), "waited for Retry-After");
        assertEquals(2, receiver.samples().size());

        RemoteWriteConfig noRetry = withQueue(receiver.endpoint(), new QueueConfig(null, null, null, null, null, false, Duration.ZERO));
        receiver.failNext(1, 429, "slow down");
        EndpointLane strict = fixture.lane(noRetry);
        putAll(strict, fixture.requests(noRetry, 1, 5));
        awaitEmpty(strict);
        assertEquals(2, receiver.samples().size());
        assertEquals(2, fixture.metrics.count(prefix(noRetry) + "reason.rejected.samplesDropped"));
    }

    @Test
    void version2IsSentWithItsHeadersAndSymbolTable() throws Exception {
        RemoteWriteConfig v2 = receiver.endpoint().toBuilder().protobufMessage(ProtobufMessage.V2).build();
        EndpointLane lane = fixture.lane(v2);
        putAll(lane, fixture.requests(v2, 10, 0));
        awaitEmpty(lane);

        assertEquals(expectedInSendOrder("anonymous", 10), receiver.samples());
        for (ReceivedRequest r : receiver.requests()) {
            assertEquals("application/x-protobuf;proto=io.prometheus.write.v2.Request", r.contentType());
            assertEquals("2.0.0", r.protocolVersion());
            assertEquals("snappy", r.contentEncoding());
        }
    }

    @Test
    void a415FromVersion2FallsBackToVersion1AndIsRemembered() throws Exception {
        receiver.acceptVersion2(false);
        RemoteWriteConfig v2 = receiver.endpoint().toBuilder().protobufMessage(ProtobufMessage.V2).build();
        EndpointLane lane = fixture.lane(v2);
        putAll(lane, fixture.requests(v2, 10, 0));
        awaitEmpty(lane);

        assertEquals(expectedInSendOrder("anonymous", 10), receiver.samples());
        List<ReceivedRequest> seen = receiver.requests();
        assertEquals(415, seen.get(0).status());
        assertEquals(8, seen.size(), "one 415, then every request once as 1.0");
        for (ReceivedRequest r : seen.subList(1, seen.size())) assertEquals("0.1.0", r.protocolVersion());
        assertEquals(0, fixture.metrics.count(prefix(v2) + "samplesDropped"));
    }

    @Test
    void anOld1ReceiverThatIgnoresTheContentTypeIsDetectedByTheMissingWrittenHeader() throws Exception {
        receiver.ignoreContentType(true);
        RemoteWriteConfig v2 = receiver.endpoint().toBuilder().protobufMessage(ProtobufMessage.V2).build();
        EndpointLane lane = fixture.lane(v2);
        putAll(lane, fixture.requests(v2, 10, 0));
        awaitEmpty(lane);

        assertEquals(expectedInSendOrder("anonymous", 10), receiver.samples());
        assertEquals(0, receiver.requests().get(0).sampleCount(), "the 2.0 body read as 1.0 holds nothing");
        assertEquals(8, receiver.requests().size());
    }

    @Test
    void slowResponsesTimeOutAndAreRetriedUntilDelivered() throws Exception {
        RemoteWriteConfig impatient = receiver.endpoint().toBuilder().remoteTimeout(Duration.ofMillis(200)).build();
        receiver.delayResponses(Duration.ofMillis(600));
        EndpointLane lane = fixture.lane(impatient);
        putAll(lane, fixture.requests(impatient, 2, 0));
        Thread.sleep(700);
        assertTrue(fixture.metrics.count(prefix(impatient) + "requestsFailed") >= 1);
        receiver.delayResponses(Duration.ZERO);
        awaitEmpty(lane);

        List<ReceivedSample> distinct = new ArrayList<>();
        for (ReceivedSample s : receiver.samples()) if (!distinct.contains(s)) distinct.add(s);
        assertEquals(expectedInSendOrder("anonymous", 2), distinct, "timed-out attempts may arrive too: only as identical copies");
    }

    @Test
    void connectionsClosedWithoutAnswerAreRetried() throws Exception {
        receiver.dropNextConnections(3);
        EndpointLane lane = fixture.lane(receiver.endpoint());
        putAll(lane, fixture.requests(receiver.endpoint(), 10, 0));
        awaitEmpty(lane);
        assertEquals(expectedInSendOrder("anonymous", 10), receiver.samples());
        assertEquals(3, fixture.metrics.count(prefix(receiver.endpoint()) + "requestsFailed"));
    }

    @Test
    void aDownEndpointDelaysOnlyItself() throws Exception {
        LocalRemoteWriteReceiver down = LocalRemoteWriteReceiver.start(0);
        toClose.add(down);
        down.failNext(100_000, 503, "never up");
        RemoteWriteConfig tenant = receiver.endpoint().toBuilder().name("gem").headers(Map.of("X-Scope-OrgID", "team-a"))
                .basicAuth("user", "hunter2").build();
        RemoteWriteConfig broken = down.endpoint().toBuilder().name("broken").build();
        EndpointLane healthy = fixture.lane(tenant);
        EndpointLane stuck = fixture.lane(broken);

        putAll(stuck, fixture.requests(broken, 10, 0));
        putAll(healthy, fixture.requests(tenant, 10, 0));
        awaitEmpty(healthy);

        assertEquals(expectedInSendOrder("team-a", 10), receiver.samples());
        assertEquals(7, stuck.pendingRequests());
        assertEquals(20L, fixture.metrics.gaugeValue("remote_write_endpoint.broken.pendingSamples"));
        assertEquals(20, fixture.metrics.count("remote_write_endpoint.gem.tenant.team-a.samplesSent"));
        for (String path : fixture.metrics.paths()) assertFalse(path.contains("hunter2"), path);
    }

    @Test
    void backpressurePolicyMakesPutWaitForRoom() throws Exception {
        receiver.failNext(100_000, 503, "down");
        RemoteWriteConfig small = withQueue(receiver.endpoint(), new QueueConfig(6, null, null, null, null, true, Duration.ZERO));
        EndpointLane lane = fixture.lane(small);
        List<RemoteWriteCommittable> requests = fixture.requests(small, 10, 0);
        lane.put(requests.get(0));
        lane.put(requests.get(1));
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
            try {
                lane.put(requests.get(2));
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        assertThrows(TimeoutException.class, () -> third.get(300, TimeUnit.MILLISECONDS), "6 samples pending: the bound");
        receiver.clear();
        third.get(10, TimeUnit.SECONDS);
        putAll(lane, requests.subList(3, requests.size()));
        awaitEmpty(lane);
        assertEquals(expectedInSendOrder("anonymous", 10), receiver.samples());
    }

    @Test
    void dropOldestPolicyDropsOnlyRequestsOlderThanMinWalTime() throws Exception {
        receiver.failNext(100_000, 503, "down");
        RemoteWriteConfig small = withQueue(receiver.endpoint(), new QueueConfig(6, null, null, null, null, true, Duration.ZERO));
        EndpointLane lane = fixture.lane(small, DeliveryFixture.settings(Duration.ofHours(4), Duration.ofMinutes(5), Duration.ofMinutes(1),
                OverflowPolicy.DROP_OLDEST, 1_000_000));
        long sixMinutesAgo = fixture.clockMs.get() - Duration.ofMinutes(6).toMillis();
        List<RemoteWriteCommittable> old = fixture.requests(small, 3, 0); // 6 samples in 2 requests
        for (RemoteWriteCommittable r : old) lane.put(DeliveryFixture.preparedAt(r, sixMinutesAgo));
        long waitUntilSending = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (fixture.metrics.count(prefix(small) + "requestsFailed") == 0 && System.nanoTime() < waitUntilSending) Thread.sleep(1);
        List<RemoteWriteCommittable> fresh = fixture.requests(small, 3, 1);
        lane.put(fresh.get(0)); // the request being sent is kept; the one behind it is old enough to go
        assertEquals(3, fixture.metrics.count(prefix(small) + "reason.overflow.samplesDropped"));

        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                lane.put(fresh.get(1)); // only the in-flight old one and a young one are left: wait
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        assertThrows(TimeoutException.class, () -> blocked.get(300, TimeUnit.MILLISECONDS));
        receiver.clear();
        blocked.get(10, TimeUnit.SECONDS);
        awaitEmpty(lane);
        assertEquals(9, receiver.acceptedSampleCount());
    }

    @Test
    void requestsPendingLongerThanMaxWalTimeAreDroppedAndCounted() throws Exception {
        receiver.failNext(100_000, 503, "down");
        EndpointLane lane = fixture.lane(receiver.endpoint(), DeliveryFixture.settings(Duration.ofHours(1), Duration.ofMinutes(5),
                Duration.ofHours(2), OverflowPolicy.BACKPRESSURE, 1_000_000));
        putAll(lane, fixture.requests(receiver.endpoint(), 10, 0));
        Thread.sleep(100);
        fixture.clockMs.addAndGet(Duration.ofMinutes(61).toMillis());
        Thread.sleep(200);
        assertEquals(7, lane.pendingRequests(), "older than max_wal_time, but the age check runs every 2h");
        fixture.clockMs.addAndGet(Duration.ofMinutes(60).toMillis());
        awaitEmpty(lane);
        assertEquals(20, fixture.metrics.count(prefix(receiver.endpoint()) + "reason.max_wal_time.samplesDropped"),
                () -> fixture.metrics.describe());
        assertEquals(0, receiver.acceptedSampleCount());
    }

    @Test
    void samplesOlderThanSampleAgeLimitAreDroppedBeforeSending() throws Exception {
        RemoteWriteConfig limited = withQueue(receiver.endpoint(), new QueueConfig(null, null, null, null, null, true, Duration.ofMinutes(1)));
        fixture.clockMs.set(T0 + 5 * 15_000L + 60_000L); // samples of steps 0..4 are more than a minute old
        EndpointLane lane = fixture.lane(limited);
        putAll(lane, fixture.requests(limited, 10, 0));
        awaitEmpty(lane);

        List<ReceivedSample> expected = new ArrayList<>();
        for (ReceivedSample s : expectedInSendOrder("anonymous", 10)) if (s.timestampMs() >= T0 + 5 * 15_000L) expected.add(s);
        assertEquals(expected, receiver.samples());
        assertEquals(10, fixture.metrics.count(prefix(limited) + "reason.sample_age_limit.samplesDropped"));
    }

    @Test
    void aRequestHandedInTwiceIsSentOnceAndRedeliveryAfterRestoreIsByteIdentical() throws Exception {
        List<RemoteWriteCommittable> requests = fixture.requests(receiver.endpoint(), 10, 0);
        EndpointLane lane = fixture.lane(receiver.endpoint());
        receiver.failNext(1, 503, "hold on");
        putAll(lane, requests);
        putAll(lane, DeliveryFixture.viaCheckpoint(lane.snapshot()));
        awaitEmpty(lane);
        List<String> digests = receiver.requests().stream().filter(ReceivedRequest::accepted).map(ReceivedRequest::payloadDigest).toList();
        assertEquals(7, digests.size());

        receiver.clear();
        EndpointLane afterRestore = fixture.lane(receiver.endpoint());
        putAll(afterRestore, DeliveryFixture.viaCheckpoint(requests));
        awaitEmpty(afterRestore);
        assertEquals(digests, receiver.requests().stream().map(ReceivedRequest::payloadDigest).toList());
    }

    @Test
    void writerCountsDropsAndKeepsEpochsAboveTheRestoredCheckpoint() {
        RecordingMetricGroup metrics = new RecordingMetricGroup();
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(100, 2, 41, metrics);
        Labels nameless = Labels.of("job", "x");
        writer.write(new WriteBatch("t", List.of(receiver.endpoint()), new Labels[] {A, nameless}, new long[] {1, 1}, new double[] {1, 2}), null);
        writer.write(new WriteBatch("t", List.of(), new Labels[] {A}, new long[] {2}, new double[] {1}), null);
        assertEquals(1, metrics.gaugeValue("pendingSamples"));

        List<RemoteWriteCommittable> committables = new ArrayList<>(writer.prepareCommit());

        assertEquals(1, metrics.count("invalidSamplesDropped"));
        assertEquals(1, metrics.count("samplesWithoutTarget"));
        assertEquals(1, committables.size());
        assertEquals(1, committables.get(0).sampleCount());
        assertEquals(2, committables.get(0).writerSubtask());
        assertEquals(42, committables.get(0).epoch(), "epochs continue above the restored checkpoint");
        assertEquals(0, metrics.gaugeValue("pendingSamples"));
        assertEquals(List.of(), new ArrayList<>(writer.prepareCommit()));
    }

    @Test
    void writerEncodesEarlyBeyondItsBufferBoundKeepingOrder() throws Exception {
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(3, 4, 0, 0, new UnregisteredMetricsGroup());
        for (int step = 0; step < 10; step++) {
            long t = T0 + step * 15_000L;
            writer.write(new WriteBatch("anonymous", List.of(receiver.endpoint()), new Labels[] {B, A}, new long[] {t, t},
                    new double[] {step, -step}), null);
        }
        List<RemoteWriteCommittable> requests = DeliveryFixture.viaCheckpoint(new ArrayList<>(writer.prepareCommit()));
        EndpointLane lane = fixture.lane(receiver.endpoint());
        putAll(lane, requests);
        awaitEmpty(lane);
        List<ReceivedSample> received = receiver.samples();
        for (Labels series : List.of(A, B)) {
            List<Long> times = received.stream().filter(s -> s.labels().equals(series)).map(ReceivedSample::timestampMs).toList();
            assertEquals(10, times.size());
            for (int i = 1; i < times.size(); i++) assertTrue(times.get(i - 1) < times.get(i), series + " in order: " + times);
        }
    }
}
