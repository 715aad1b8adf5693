package io.flinkruler.testsupport;

import com.google.protobuf.CodedOutputStream;
import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pushes samples into a real Prometheus by remote write (a request encoded here by hand) and reads them back. */
class PrometheusHarnessTest {
    private static final long T0 = 1_577_836_800_000L;   // 2020-01-01T00:00:00Z
    private static final Labels UP_A = Labels.of("__name__", "rule_result", "job", "ruler", "tenant", "a");
    private static final Labels UP_B = Labels.of("__name__", "rule_result", "job", "ruler", "tenant", "b");
    private static PrometheusProcess prometheus;

    @BeforeAll
    static void start() throws Exception {
        long begin = System.nanoTime();
        prometheus = PrometheusProcess.start();
        System.out.printf("prometheus ready in %d ms on %s%n", (System.nanoTime() - begin) / 1_000_000, prometheus.baseUrl());
        // newest first for tenant a: the receiver must take older samples too (out-of-order window)
        assertEquals(204, push(List.of(
                new LabeledSample(UP_A, T0 + 60_500, 42.5),
                new LabeledSample(UP_B, T0 + 10_250, -1),
                new LabeledSample(UP_B, T0 + 70_250, Double.NaN))));
        assertEquals(204, push(List.of(
                new LabeledSample(UP_A, T0 + 500, 7),
                new LabeledSample(UP_A, T0 + 120_500, StaleMarker.VALUE))));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) prometheus.close();
    }

    @Test
    void rawSamplesComeBackExactlyAndStaleMarkersAreHidden() {
        Map<Labels, List<Sample>> got = prometheus.seriesSamples("rule_result", T0, T0 + 180_000);
        Map<Labels, List<Sample>> want = new LinkedHashMap<>();
        want.put(UP_A, List.of(new Sample(T0 + 500, 7), new Sample(T0 + 60_500, 42.5)));
        want.put(UP_B, List.of(new Sample(T0 + 10_250, -1), new Sample(T0 + 70_250, Double.NaN)));
        assertEquals(want, got);
        assertEquals(List.of(UP_A, UP_B), List.copyOf(got.keySet()));
    }

    @Test
    void theWindowOfSeriesSamplesIsClosedOnBothEnds() {
        Map<Labels, List<Sample>> got = prometheus.seriesSamples("rule_result{tenant=\"a\"}", T0 + 500, T0 + 60_500);
        assertEquals(List.of(new Sample(T0 + 500, 7), new Sample(T0 + 60_500, 42.5)), got.get(UP_A));
    }

    @Test
    void instantQueriesUseTheLookbackAndEndAtAStaleMarker() {
        List<SeriesValue> at90s = prometheus.queryInstant("rule_result", T0 + 90_000);
        assertEquals(List.of(new SeriesValue(UP_A, 42.5), new SeriesValue(UP_B, Double.NaN)), at90s);
        // tenant a has a stale marker at 120.5 s: it is gone at once, not only after the 5 m lookback
        assertEquals(List.of(new SeriesValue(UP_B, Double.NaN)), prometheus.queryInstant("rule_result", T0 + 121_000));
        assertEquals(List.of(new SeriesValue(Labels.EMPTY, 3)), prometheus.queryInstant("1 + 2", T0));
        assertEquals(List.of(new SeriesValue(Labels.of("job", "ruler"), 41.5)),
                prometheus.queryInstant("sum by (job) (rule_result{tenant=\"a\"}) + sum by (job) (rule_result{tenant=\"b\"} >= -1)", T0 + 61_000));
    }

    @Test
    void rangeQueriesGiveOnePointPerStep() {
        Map<Labels, List<Sample>> got = prometheus.queryRange("rule_result{tenant=\"a\"}", T0, T0 + 120_000, 30_000);
        Labels name = UP_A;   // a plain selector keeps __name__
        assertEquals(List.of(new Sample(T0 + 30_000, 7), new Sample(T0 + 60_000, 7), new Sample(T0 + 90_000, 42.5),
                new Sample(T0 + 120_000, 42.5)), got.get(name));
    }

    @Test
    void aBadQueryFailsWithPrometheusError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> prometheus.queryInstant("rate(rule_result[5m]", T0));
        assertTrue(e.getMessage().contains("bad_data"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> prometheus.queryInstant("rule_result[1m]", T0));
    }

    @Test
    void closeStopsTheServerAndKeepsTheLog() {
        PrometheusProcess other = PrometheusProcess.start();
        int port = other.port();
        assertTrue(isListening(port));
        other.close();
        assertFalse(isListening(port), "port still served after close");
        assertTrue(other.logTail(50).contains("Server is ready to receive web requests"), other.logTail(50));
        assertFalse(other.dataDir().resolve("tsdb").toFile().exists());
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** POSTs a remote-write 1.0 WriteRequest (one TimeSeries per sample); returns the HTTP status. */
    private static int push(List<LabeledSample> samples) throws IOException, InterruptedException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        for (LabeledSample s : samples) out.writeByteArray(1, timeSeries(s));   // WriteRequest.timeseries = 1
        out.flush();
        HttpRequest req = HttpRequest.newBuilder(URI.create(prometheus.remoteWriteUrl()))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(buf.toByteArray()))).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 204) System.err.println("remote write answered " + r.statusCode() + ": " + r.body());
        return r.statusCode();
    }

    private static byte[] timeSeries(LabeledSample s) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        for (int i = 0; i < s.labels().size(); i++) {   // TimeSeries.labels = 1: Label{name = 1, value = 2}
            ByteArrayOutputStream label = new ByteArrayOutputStream();
            CodedOutputStream l = CodedOutputStream.newInstance(label);
            l.writeString(1, s.labels().name(i));
            l.writeString(2, s.labels().value(i));
            l.flush();
            out.writeByteArray(1, label.toByteArray());
        }
        ByteArrayOutputStream sample = new ByteArrayOutputStream();   // TimeSeries.samples = 2: Sample{value = 1, timestamp = 2}
        CodedOutputStream smp = CodedOutputStream.newInstance(sample);
        smp.writeDouble(1, s.value());
        smp.writeInt64(2, s.timestampMs());
        smp.flush();
        out.writeByteArray(2, sample.toByteArray());
        out.flush();
        return buf.toByteArray();
    }
}
