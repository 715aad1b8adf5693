package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.remotewrite.internal.RemoteWriteHttpSender;
import io.flinkruler.remotewrite.internal.SendResult;
import io.flinkruler.rules.RemoteWriteConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteWriteHttpSenderTest {
    private static final Labels SERIES = Labels.of("__name__", "foo:rate5m", "job", "a");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private LocalRemoteWriteReceiver receiver;
    private RemoteWriteHttpSender sender;

    @BeforeEach
    void start() throws IOException {
        receiver = LocalRemoteWriteReceiver.start(0, new PrintStream(printed, true, StandardCharsets.UTF_8));
        sender = new RemoteWriteHttpSender("flink-ruler/test");
    }

    @AfterEach
    void stop() throws IOException {
        sender.close();
        receiver.close();
    }

    private static byte[] body(double... values) {
        long[] times = new long[values.length];
        for (int i = 0; i < values.length; i++) times[i] = 1_767_225_600_000L + 15_000L * i;
        return WriteRequestCodec.encodeCompressed(List.of(new SeriesSamples(SERIES, times, values)));
    }

    @Test
    void deliversWithProtocolHeadersTenantAndBasicAuth() {
        receiver.requireBasicAuth("alice", "pa:ss");
        RemoteWriteConfig target = new RemoteWriteConfig(receiver.writeUrl(), "local", Map.of("X-Scope-OrgID", "team-a",
                "Content-Type", "text/plain", "X-Extra", "1"), "alice", "pa:ss", Duration.ofSeconds(5));

        SendResult result = sender.send(target, body(0.25, StaleMarker.VALUE));

        assertTrue(result.isSuccess(), result::describe);
        assertEquals(204, result.status());
        ReceivedRequest request = receiver.requests().get(0);
        assertEquals("team-a", request.tenant());
        assertEquals("snappy", request.contentEncoding());
        assertEquals("application/x-protobuf", request.contentType());
        assertEquals("0.1.0", request.protocolVersion());
        assertEquals("flink-ruler/test", request.userAgent());
        assertEquals("alice", request.basicAuthUser());
        assertEquals(2, request.sampleCount());
        List<ReceivedSample> samples = receiver.samples();
        assertEquals(new ReceivedSample("team-a", SERIES, 1_767_225_600_000L, 0.25), samples.get(0));
        assertTrue(StaleMarker.is(samples.get(1).value()));
        String line = printed.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("received 2 samples, 1 series from tenant=team-a: foo:rate5m{job=\"a\"} = 0.25 @2026-01-01T00:00:00Z"), line);
    }

    @Test
    void wrongPasswordIsAPermanentFailureAndNeverEchoed() {
        receiver.requireBasicAuth("alice", "right");
        RemoteWriteConfig target = new RemoteWriteConfig(receiver.writeUrl(), null, null, "alice", "wrong-secret", null);

        SendResult result = sender.send(target, body(1));

        assertEquals(SendResult.Kind.PERMANENT, result.kind());
        assertEquals(401, result.status());
        assertFalse(result.describe().contains("wrong-secret"));
        assertFalse(target.toString().contains("wrong-secret"));
        assertEquals(0, receiver.acceptedSampleCount());
    }

    @Test
    void serverErrorsAndTooManyRequestsAreRetryableHonouringRetryAfter() {
        receiver.failNext(1, 503, "ingester unavailable", Duration.ofSeconds(2));
        receiver.failNext(1, 429, "slow down");
        receiver.failNext(1, 500, "boom");

        SendResult unavailable = sender.send(receiver.endpoint(), body(1));
        SendResult tooMany = sender.send(receiver.endpoint(), body(1));
        SendResult internal = sender.send(receiver.endpoint(), body(1));

        assertEquals(SendResult.Kind.RETRYABLE, unavailable.kind());
        assertEquals(Duration.ofSeconds(2), unavailable.retryAfter());
        assertEquals("HTTP 503: ingester unavailable", unavailable.describe());
        assertEquals(SendResult.Kind.RETRYABLE, tooMany.kind());
        assertEquals(429, tooMany.status());
        assertNull(tooMany.retryAfter());
        assertEquals(SendResult.Kind.RETRYABLE, internal.kind());
        assertEquals(0, receiver.acceptedSampleCount());
        assertTrue(sender.send(receiver.endpoint(), body(1)).isSuccess());
    }

    @Test
    void clientErrorsArePermanentWithTheReceiversMessageTruncated() {
        receiver.failNext(1, 400, "out of order sample " + "x".repeat(5000));

        SendResult result = sender.send(receiver.endpoint(), body(1));

        assertEquals(SendResult.Kind.PERMANENT, result.kind());
        assertEquals(400, result.status());
        assertTrue(result.message().startsWith("out of order sample xxx"));
        assertTrue(result.message().length() <= 520, "length " + result.message().length());
    }

    @Test
    void undecodableBodyIsRejectedByTheReceiver() {
        SendResult result = sender.send(receiver.endpoint(), "not snappy".getBytes(StandardCharsets.UTF_8));
        assertEquals(SendResult.Kind.PERMANENT, result.kind());
        assertEquals(400, receiver.requests().get(0).status());
    }

    @Test
    void connectionRefusedIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SendResult result = sender.send(RemoteWriteConfig.ofUrl("http://127.0.0.1:" + closedPort + "/api/v1/write"), body(1));
        assertEquals(SendResult.Kind.RETRYABLE, result.kind());
        assertEquals(0, result.status());
    }

    @Test
    void responseTimeoutIsRetryable() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RemoteWriteConfig target = new RemoteWriteConfig("http://127.0.0.1:" + silent.getLocalPort() + "/api/v1/write",
                    null, null, null, null, Duration.ofMillis(300));
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    ignored.getInputStream().readAllBytes();
                } catch (IOException closed) {
                    // the client gave up: expected
                }
            });
            acceptor.start();
            long start = System.nanoTime();
            SendResult result = sender.send(target, body(1));
            assertEquals(SendResult.Kind.RETRYABLE, result.kind(), result::describe);
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        }
    }

    @Test
    void credentialFilesAreReadForEveryRequestSoRotationNeedsNoRestart(@TempDir Path dir) throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, "first-token\n");
        RemoteWriteConfig target = RemoteWriteConfig.builder(receiver.writeUrl())
                .authorization(new RemoteWriteConfig.Authorization("Bearer", null, token.toString())).build();
        receiver.requireAuthorization("Bearer first-token");
        assertTrue(sender.send(target, body(1)).isSuccess());

        Files.writeString(token, "second-token");
        receiver.requireAuthorization("Bearer second-token");
        assertTrue(sender.send(target, body(2)).isSuccess());

        Files.delete(token);
        SendResult missing = sender.send(target, body(3));
        assertEquals(SendResult.Kind.RETRYABLE, missing.kind(), "the file may come back: retry");
        assertEquals("no response: cannot read authorization.credentials_file " + token + " (NoSuchFileException)", missing.describe());
        assertEquals(2, receiver.acceptedSampleCount());
    }

    @Test
    void basicAuthPasswordFileAndInlineBearerToken(@TempDir Path dir) throws IOException {
        Path password = dir.resolve("pw");
        Files.writeString(password, "file-secret\n");
        receiver.requireBasicAuth("carol", "file-secret");
        RemoteWriteConfig basic = RemoteWriteConfig.builder(receiver.writeUrl())
                .basicAuth(new RemoteWriteConfig.BasicAuth("carol", null, null, password.toString())).build();
        assertTrue(sender.send(basic, body(1)).isSuccess());
        assertEquals("carol", receiver.requests().get(0).basicAuthUser());

        receiver.requireBasicAuth(null, null);
        receiver.requireAuthorization("Token inline-secret");
        RemoteWriteConfig token = RemoteWriteConfig.builder(receiver.writeUrl())
                .authorization(new RemoteWriteConfig.Authorization("Token", "inline-secret", null)).build();
        assertTrue(sender.send(token, body(1)).isSuccess());
        assertFalse(token.toString().contains("inline-secret"));
    }

    @Test
    void tooManyRequestsIsPermanentWhenRetryOnHttp429IsOff() {
        receiver.failNext(1, 429, "slow down");
        RemoteWriteConfig target = RemoteWriteConfig.builder(receiver.writeUrl())
                .queue(new RemoteWriteConfig.QueueConfig(null, null, null, null, null, false, Duration.ZERO)).build();
        SendResult result = sender.send(target, body(1));
        assertEquals(SendResult.Kind.PERMANENT, result.kind());
        assertEquals(429, result.status());
    }

    @Test
    void proxyUrlRoutesRequestsThroughTheProxy() throws IOException {
        // the receiver plays the proxy: it gets the absolute-URI request for a host that does not resolve
        RemoteWriteConfig target = RemoteWriteConfig.builder("http://rw.invalid:9/api/v1/write")
                .proxyUrl("http://127.0.0.1:" + receiver.port()).build();
        SendResult result = sender.send(target, body(1));
        assertTrue(result.isSuccess(), result::describe);
        assertEquals(1, receiver.acceptedSampleCount());
    }

    @Test
    void redirectsAreFollowedUnlessFollowRedirectsIsFalse() throws IOException {
        com.sun.net.httpserver.HttpServer redirector = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        redirector.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Location", receiver.writeUrl());
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        redirector.start();
        try {
            String url = "http://127.0.0.1:" + redirector.getAddress().getPort() + "/api/v1/write";
            assertTrue(sender.send(RemoteWriteConfig.ofUrl(url), body(1)).isSuccess());
            assertEquals(1, receiver.acceptedSampleCount());
            SendResult notFollowed = sender.send(RemoteWriteConfig.builder(url).followRedirects(false).build(), body(1));
            assertEquals(SendResult.Kind.PERMANENT, notFollowed.kind());
            assertEquals(307, notFollowed.status());
            assertEquals(1, receiver.acceptedSampleCount());
        } finally {
            redirector.stop(0);
        }
    }
}
