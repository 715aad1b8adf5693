package io.flinkruler.remotewrite;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.flinkruler.model.Labels;
import io.flinkruler.rules.RemoteWriteConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * A remote-write 1.0 and 2.0 receiver on 127.0.0.1 that needs nothing installed: decodes each request (Snappy +
 * protobuf; 2.0 when the Content-Type says {@code proto=io.prometheus.write.v2.Request}, answered with the
 * written-samples headers), keeps every sample in memory, and optionally prints one line per request. The tenant
 * is the X-Scope-OrgID header ({@code anonymous} without it). For tests it can require credentials, serve HTTPS,
 * and inject faults: scripted failures, rejection of 2.0 (415) or acting as an old 1.0 receiver that ignores
 * the content type, 400 for requests holding certain series (as Prometheus rejects a whole request for one bad
 * sample), slow answers, and connections closed without an answer.
 *
 * <p>Run standalone: {@code java ... io.flinkruler.remotewrite.LocalRemoteWriteReceiver [port]}.
 */
public final class LocalRemoteWriteReceiver implements AutoCloseable {
    public static final String WRITE_PATH = "/api/v1/write";
    public static final String DEFAULT_TENANT = "anonymous";

    private final HttpServer server;
    private final PrintStream log;
    private final List<ReceivedSample> samples = new ArrayList<>();
    private final List<ReceivedRequest> requests = new ArrayList<>();
    private final ArrayDeque<ScriptedFailure> scriptedFailures = new ArrayDeque<>();
    private String requiredUser;
    private String requiredPassword;
    private String requiredAuthorization;
    private boolean acceptVersion2 = true;
    private boolean ignoreContentType;
    private Predicate<Labels> rejectedSeries;
    private String rejectionMessage;
    private Duration responseDelay = Duration.ZERO;
    private int connectionsToDrop;

    private LocalRemoteWriteReceiver(int port, PrintStream log) throws IOException {
        this(port, log, null, false);
    }

    private LocalRemoteWriteReceiver(int port, PrintStream log, SSLContext tls, boolean needClientCertificate) throws IOException {
        this.log = log;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (tls == null) {
            this.server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = tls.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(needClientCertificate);
                    params.setSSLParameters(parameters);
                }
            });
            this.server = https;
        }
        server.createContext(WRITE_PATH, this::handle);
        // The default executor is the single dispatcher thread: requests are handled one at a time, in arrival order.
        server.setExecutor(null);
        server.start();
    }

    /** Listens on 127.0.0.1:{@code port} (0 = any free port), silently. */
    public static LocalRemoteWriteReceiver start(int port) throws IOException {
        return new LocalRemoteWriteReceiver(port, null);
    }

    /** As {@link #start(int)}, printing one line per request to {@code log}. */
    public static LocalRemoteWriteReceiver start(int port, PrintStream log) throws IOException {
        return new LocalRemoteWriteReceiver(port, log);
    }

    /**
     * An HTTPS receiver on 127.0.0.1:{@code port} with the server certificate of {@code tls}; with
     * {@code needClientCertificate} the TLS handshake fails unless the client presents a certificate that
     * {@code tls}'s trust material accepts.
     */
    public static LocalRemoteWriteReceiver startHttps(int port, SSLContext tls, boolean needClientCertificate) throws IOException {
        return new LocalRemoteWriteReceiver(port, null, tls, needClientCertificate);
    }

    public int port() { return server.getAddress().getPort(); }

    public String writeUrl() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port() + WRITE_PATH;
    }

    /** An endpoint config pointing here. */
    public RemoteWriteConfig endpoint() { return RemoteWriteConfig.ofUrl(writeUrl()); }

    /** Every accepted sample so far, in arrival order. */
    public synchronized List<ReceivedSample> samples() { return List.copyOf(samples); }

    /** Every request so far, accepted or not, in arrival order. */
    public synchronized List<ReceivedRequest> requests() { return List.copyOf(requests); }

    public synchronized int acceptedSampleCount() { return samples.size(); }

    /** Answers the next {@code count} requests with {@code status} and {@code message}, keeping none of their samples. */
    public synchronized void failNext(int count, int status, String message) {
        failNext(count, status, message, null);
    }

    /** As {@link #failNext(int, int, String)}, also sending a Retry-After header (whole seconds). */
    public synchronized void failNext(int count, int status, String message, Duration retryAfter) {
        for (int i = 0; i < count; i++) scriptedFailures.add(new ScriptedFailure(status, message, retryAfter));
    }

    /** From now on, answers 401 unless the request carries these basic-auth credentials. */
    public synchronized void requireBasicAuth(String user, String password) {
        this.requiredUser = user;
        this.requiredPassword = password;
    }

    /** From now on, answers 401 unless the request's Authorization header is exactly {@code headerValue} (e.g. "Bearer t"). */
    public synchronized void requireAuthorization(String headerValue) {
        this.requiredAuthorization = headerValue;
    }

    /** With false, answers remote-write 2.0 requests with 415 Unsupported Media Type. */
    public synchronized void acceptVersion2(boolean accept) {
        this.acceptVersion2 = accept;
    }

    /**
     * Acts as a 1.0-only receiver that does not look at the Content-Type (as Prometheus before 2.54 does):
     * every body is decoded as 1.0, so a 2.0 body yields no samples, and no written-samples headers are sent.
     */
    public synchronized void ignoreContentType(boolean ignore) {
        this.ignoreContentType = ignore;
    }

    /**
     * Answers 400 to any request holding a series that matches, keeping none of its samples, with a message
     * naming that series after {@code message}; null stops rejecting.
     */
    public synchronized void rejectSeries(Predicate<Labels> matching, String message) {
        this.rejectedSeries = matching;
        this.rejectionMessage = message;
    }

    /** Waits this long before answering each request (the sample are kept when the answer is sent). */
    public synchronized void delayResponses(Duration delay) {
        this.responseDelay = delay;
    }

    /** Closes the next {@code count} connections after reading the request, without any answer. */
    public synchronized void dropNextConnections(int count) {
        this.connectionsToDrop += count;
    }

    public synchronized void clear() {
        samples.clear();
        requests.clear();
        scriptedFailures.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "only POST is supported", null, null);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Duration delay;
            synchronized (this) {
                if (connectionsToDrop > 0) {
                    connectionsToDrop--;
                    return; // closed without an answer: the client sees the connection end
                }
                delay = responseDelay;
            }
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Headers headers = exchange.getRequestHeaders();
            String tenant = headers.getFirst("X-Scope-OrgID");
            if (tenant == null || tenant.isEmpty()) tenant = DEFAULT_TENANT;
            String authUser = basicAuthUser(headers.getFirst("Authorization"));
            String contentType = headers.getFirst("Content-Type");
            boolean version2 = contentType != null && contentType.replace(" ", "").contains("proto=io.prometheus.write.v2.Request");
            int status;
            String message;
            Duration retryAfter = null;
            Long written = null;
            List<SeriesSamples> decoded = List.of();
            synchronized (this) {
                ScriptedFailure failure = scriptedFailures.poll();
                if (failure != null) {
                    status = failure.status;
                    message = failure.message;
                    retryAfter = failure.retryAfter;
                } else if ((requiredUser != null && !credentialsMatch(headers.getFirst("Authorization")))
                        || (requiredAuthorization != null && !requiredAuthorization.equals(headers.getFirst("Authorization")))) {
                    status = 401;
                    message = "unauthorized";
                } else if (version2 && !acceptVersion2 && !ignoreContentType) {
                    status = 415;
                    message = "remote-write 2.0 is not supported";
                } else {
                    try {
                        decoded = version2 && !ignoreContentType ? WriteRequestV2Codec.decodeCompressed(body) : WriteRequestCodec.decodeCompressed(body);
                        status = 204;
                        message = "";
                        SeriesSamples rejected = firstRejected(decoded);
                        if (rejected != null) {
                            status = 400;
                            message = rejectionMessage + " for series " + rejected.labels();
                            decoded = List.of();
                        }
                    } catch (IOException | RuntimeException e) {
                        status = 400;
                        message = "cannot decode remote-write request: " + e.getMessage();
                    }
                }
                int sampleCount = 0;
                for (SeriesSamples s : decoded) {
                    for (int i = 0; i < s.size(); i++) samples.add(new ReceivedSample(tenant, s.labels(), s.timestampMs(i), s.value(i)));
                    sampleCount += s.size();
                }
                if (version2 && !ignoreContentType && status < 300) written = (long) sampleCount;
                requests.add(new ReceivedRequest(tenant, status, decoded.size(), sampleCount, headers.getFirst("Content-Encoding"),
                        contentType, headers.getFirst("X-Prometheus-Remote-Write-Version"),
                        headers.getFirst("User-Agent"), authUser, sha256(body)));
                if (log != null) log.println(describe(status, message, tenant, decoded, sampleCount));
            }
            respond(exchange, status, message, retryAfter, written);
        }
    }

    private SeriesSamples firstRejected(List<SeriesSamples> decoded) {
        if (rejectedSeries == null) return null;
        for (SeriesSamples s : decoded) if (rejectedSeries.test(s.labels())) return s;
        return null;
    }

    private static String describe(int status, String message, String tenant, List<SeriesSamples> decoded, int sampleCount) {
        if (status >= 300) return "answered " + status + " to tenant=" + tenant + ": " + message;
        StringBuilder line = new StringBuilder("received ").append(sampleCount).append(" samples, ").append(decoded.size())
                .append(" series from tenant=").append(tenant);
        for (SeriesSamples s : decoded) {
            if (s.size() > 0) {
                line.append(": ").append(new ReceivedSample(tenant, s.labels(), s.timestampMs(0), s.value(0)));
                if (sampleCount > 1) line.append(" ...");
                break;
            }
        }
        return line.toString();
    }

    private static void respond(HttpExchange exchange, int status, String message, Duration retryAfter, Long written) throws IOException {
        if (retryAfter != null) exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfter.toSeconds()));
        if (written != null) {
            exchange.getResponseHeaders().set("X-Prometheus-Remote-Write-Samples-Written", Long.toString(written));
            exchange.getResponseHeaders().set("X-Prometheus-Remote-Write-Histograms-Written", "0");
            exchange.getResponseHeaders().set("X-Prometheus-Remote-Write-Exemplars-Written", "0");
        }
        if (status == 204 || message.isEmpty()) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, text.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(text);
        }
    }

    private boolean credentialsMatch(String authorization) {
        String pair = decodeBasicAuth(authorization);
        return pair != null && pair.equals(requiredUser + ":" + requiredPassword);
    }

    private static String basicAuthUser(String authorization) {
        String pair = decodeBasicAuth(authorization);
        if (pair == null) return null;
        int colon = pair.indexOf(':');
        return colon < 0 ? pair : pair.substring(0, colon);
    }

    private static String decodeBasicAuth(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            return new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private record ScriptedFailure(int status, String message, Duration retryAfter) {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        LocalRemoteWriteReceiver receiver = start(port, System.out);
        System.out.println("remote-write receiver listening on " + receiver.writeUrl());
        new CountDownLatch(1).await();
    }
}
