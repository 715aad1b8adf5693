package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.internal.RemoteWriteCommitter;
import io.flinkruler.remotewrite.internal.RemoteWriteHttpSender;
import io.flinkruler.remotewrite.internal.RemoteWriteSinkWriter;
import io.flinkruler.remotewrite.internal.SinkSettings;
import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writer and committer together, as Flink drives them, against local receivers. */
class RemoteWriteCommitterTest {
    private static final long T0 = 1_767_225_600_000L;
    private static final Labels A = Labels.of("__name__", "job:up", "job", "a");
    private static final Labels B = Labels.of("__name__", "job:up", "job", "b");

    private LocalRemoteWriteReceiver receiver;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        receiver = LocalRemoteWriteReceiver.start(0);
        toClose.add(receiver);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) c.close();
    }

    private static SinkSettings settings(Duration maxRetryDuration) {
        return new SinkSettings(3, Duration.ofMillis(1), Duration.ofMillis(4), maxRetryDuration, "flink-ruler/test", 2);
    }

    private RemoteWriteCommitter committer(SinkSettings settings, RecordingMetricGroup metrics) {
        RemoteWriteCommitter committer = new RemoteWriteCommitter(settings, new RemoteWriteHttpSender(settings.userAgent()), metrics);
        toClose.add(committer);
        return committer;
    }

    /** Ten evaluations of two series, all bound for {@code targets}. */
    private static List<WriteBatch> evaluations(List<RemoteWriteConfig> targets) {
        List<WriteBatch> batches = new ArrayList<>();
        for (int step = 0; step < 10; step++) {
            long t = T0 + step * 15_000L;
            batches.add(new WriteBatch("anonymous", targets, new Labels[] {B, A}, new long[] {t, t}, new double[] {step, -step}));
        }
        return batches;
    }

    private static List<RemoteWriteCommittable> writeAndPrepare(RemoteWriteSinkWriter writer, List<WriteBatch> batches) {
        for (WriteBatch batch : batches) writer.write(batch, null);
        return new ArrayList<>(writer.prepareCommit());
    }

    /** As if the committables went through a checkpoint: serialized and restored. */
    private static List<TestCommitRequest<RemoteWriteCommittable>> viaCheckpoint(List<RemoteWriteCommittable> committables) throws IOException {
        RemoteWriteCommittableSerializer serializer = new RemoteWriteCommittableSerializer();
        List<TestCommitRequest<RemoteWriteCommittable>> requests = new ArrayList<>();
        for (RemoteWriteCommittable c : committables) {
            requests.add(new TestCommitRequest<>(serializer.deserialize(serializer.getVersion(), serializer.serialize(c))));
        }
        return requests;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Collection<Committer.CommitRequest<RemoteWriteCommittable>> asRequests(List<TestCommitRequest<RemoteWriteCommittable>> requests) {
        return (Collection) requests;
    }

    private static List<ReceivedSample> expectedInSendOrder(String tenant, Labels... series) {
        List<ReceivedSample> expected = new ArrayList<>();
        for (Labels s : series) {
            for (int step = 0; step < 10; step++) {
                expected.add(new ReceivedSample(tenant, s, T0 + step * 15_000L, s.equals(A) ? -step : step));
            }
        }
        return expected;
    }

    @Test
    void everySampleArrivesInOrderDespiteServerErrors() throws Exception {
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(3, 0, 0, new UnregisteredMetricsGroup());
        List<RemoteWriteCommittable> committables = writeAndPrepare(writer, evaluations(List.of(receiver.endpoint())));
        assertEquals(7, committables.size());
        List<TestCommitRequest<RemoteWriteCommittable>> requests = viaCheckpoint(committables);
        Collections.shuffle(requests, new Random(7));
        receiver.failNext(3, 503, "try again");
        RecordingMetricGroup metrics = new RecordingMetricGroup();

        committer(settings(Duration.ofSeconds(30)), metrics).commit(asRequests(requests));

        requests.forEach(r -> assertEquals(TestCommitRequest.State.PENDING, r.state(), "not signalled means committed"));
        assertEquals(expectedInSendOrder("anonymous", A, B), receiver.samples());
        String prefix = "remote_write_endpoint." + receiver.writeUrl() + ".";
        assertEquals(20, metrics.count(prefix + "samplesSent"));
        assertEquals(7, metrics.count(prefix + "requestsSent"));
        assertEquals(3, metrics.count(prefix + "requestsFailed"));
        assertEquals(3, metrics.count(prefix + "requestsRetried"));
        assertEquals(0, metrics.count(prefix + "requestsDropped"));
        assertEquals(10, receiver.requests().size());
    }

    @Test
    void clientErrorDropsOnlyThatRequestAndCountsIt() throws Exception {
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(3, 0, 0, new UnregisteredMetricsGroup());
        List<TestCommitRequest<RemoteWriteCommittable>> requests = viaCheckpoint(writeAndPrepare(writer, evaluations(List.of(receiver.endpoint()))));
        receiver.failNext(1, 400, "out of bounds");
        RecordingMetricGroup metrics = new RecordingMetricGroup();

        committer(settings(Duration.ofSeconds(30)), metrics).commit(asRequests(requests));

        assertEquals(TestCommitRequest.State.FAILED_KNOWN, requests.get(0).state());
        assertTrue(requests.get(0).failure().getMessage().contains("HTTP 400: out of bounds"));
        requests.subList(1, requests.size()).forEach(r -> assertEquals(TestCommitRequest.State.PENDING, r.state()));
        List<ReceivedSample> expected = expectedInSendOrder("anonymous", A, B);
        assertEquals(expected.subList(3, expected.size()), receiver.samples());
        String prefix = "remote_write_endpoint." + receiver.writeUrl() + ".";
        assertEquals(1, metrics.count(prefix + "requestsDropped"));
        assertEquals(3, metrics.count(prefix + "samplesDropped"));
        assertEquals(17, metrics.count(prefix + "samplesSent"));
        assertEquals(0, metrics.count(prefix + "requestsRetried"));
    }

    @Test
    void exhaustedRetriesHandBackThatAndEveryLaterRequestOfTheEndpoint() throws Exception {
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(3, 0, 0, new UnregisteredMetricsGroup());
        List<TestCommitRequest<RemoteWriteCommittable>> requests = viaCheckpoint(writeAndPrepare(writer, evaluations(List.of(receiver.endpoint()))));
        receiver.failNext(1, 500, "down");
        RemoteWriteCommitter committer = committer(settings(Duration.ZERO), new RecordingMetricGroup());

        committer.commit(asRequests(requests));

        requests.forEach(r -> assertEquals(TestCommitRequest.State.RETRY_LATER, r.state()));
        assertEquals(1, receiver.requests().size(), "later requests must wait for the failed one");

        // Flink calls commit again with the requests still pending.
        requests.forEach(TestCommitRequest::prepareRetry);
        committer.commit(asRequests(requests));

        requests.forEach(r -> assertEquals(TestCommitRequest.State.PENDING, r.state()));
        assertEquals(expectedInSendOrder("anonymous", A, B), receiver.samples());
    }

    @Test
    void redeliveredCommittablesAreResentAsIdenticalRequests() throws Exception {
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(3, 0, 0, new UnregisteredMetricsGroup());
        List<RemoteWriteCommittable> committables = writeAndPrepare(writer, evaluations(List.of(receiver.endpoint())));
        committer(settings(Duration.ofSeconds(30)), new RecordingMetricGroup()).commit(asRequests(viaCheckpoint(committables)));
        List<String> firstDigests = receiver.requests().stream().map(ReceivedRequest::payloadDigest).toList();
        receiver.clear();

        // After a restore Flink re-delivers the checkpoint's committables to a new committer.
        committer(settings(Duration.ofSeconds(30)), new RecordingMetricGroup()).commit(asRequests(viaCheckpoint(committables)));

        assertEquals(firstDigests, receiver.requests().stream().map(ReceivedRequest::payloadDigest).toList());
        assertEquals(expectedInSendOrder("anonymous", A, B), receiver.samples());
    }

    @Test
    void endpointsAreServedIndependentlyAndOnlyWhenTheyHaveSamples() throws Exception {
        LocalRemoteWriteReceiver failing = LocalRemoteWriteReceiver.start(0);
        toClose.add(failing);
        failing.failNext(1000, 503, "never up");
        RemoteWriteConfig tenantEndpoint = new RemoteWriteConfig(receiver.writeUrl(), "gem", Map.of("X-Scope-OrgID", "team-a"),
                "user", "hunter2", null);
        RemoteWriteConfig brokenEndpoint = new RemoteWriteConfig(failing.writeUrl(), "broken", null, null, null, null);
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(3, 0, 0, new UnregisteredMetricsGroup());
        RecordingMetricGroup metrics = new RecordingMetricGroup();
        RemoteWriteCommitter committer = committer(settings(Duration.ofMillis(50)), metrics);

        List<TestCommitRequest<RemoteWriteCommittable>> first = viaCheckpoint(writeAndPrepare(writer, evaluations(List.of(tenantEndpoint, brokenEndpoint))));
        committer.commit(asRequests(first));

        for (TestCommitRequest<RemoteWriteCommittable> r : first) {
            boolean broken = r.getCommittable().endpoint().equals(brokenEndpoint);
            assertEquals(broken ? TestCommitRequest.State.RETRY_LATER : TestCommitRequest.State.PENDING, r.state());
        }
        assertEquals(expectedInSendOrder("team-a", A, B), receiver.samples());
        assertEquals(20, metrics.count("remote_write_endpoint.gem.tenant.team-a.samplesSent"));
        assertTrue(metrics.count("remote_write_endpoint.broken.requestsFailed") >= 1);
        assertEquals(0, metrics.count("remote_write_endpoint.broken.samplesSent"));
        for (String path : metrics.paths()) assertFalse(path.contains("hunter2"), path);

        // Next checkpoint: only the tenant endpoint has samples, so only it gets requests.
        WriteBatch onlyTenant = new WriteBatch("team-a", List.of(tenantEndpoint), new Labels[] {A}, new long[] {T0 + 150_000}, new double[] {1});
        List<RemoteWriteCommittable> second = writeAndPrepare(writer, List.of(onlyTenant));
        assertEquals(1, second.size());
        assertEquals(tenantEndpoint, second.get(0).endpoint());
        assertEquals(first.get(0).getCommittable().epoch() + 1, second.get(0).epoch());
        assertEquals(List.of(), writer.prepareCommit());
    }

    @Test
    void writerDropsAndCountsSeriesWithInvalidLabelsAndSamplesWithoutTarget() {
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
    }
}
