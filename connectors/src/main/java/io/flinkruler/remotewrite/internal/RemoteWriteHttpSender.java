package io.flinkruler.remotewrite.internal;

import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * POSTs one remote-write 1.0 body and classifies the outcome; no retries here (the committer decides).
 * Basic-auth credentials and extra headers go on the wire only; nothing this class returns or logs
 * contains them.
 */
public final class RemoteWriteHttpSender implements AutoCloseable {
    public static final String PROTOCOL_VERSION = "0.1.0";
    private static final ContentType PROTOBUF = ContentType.create("application/x-protobuf");
    private static final int MAX_MESSAGE_CHARS = 512;
    private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(10);
    /** Headers the protocol owns; a target's extra headers cannot replace them. */
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "content-encoding", "content-type", "content-length", "user-agent", "x-prometheus-remote-write-version", "host");

    private final String userAgent;
    private final CloseableHttpClient client;

    public RemoteWriteHttpSender(String userAgent) {
        this.userAgent = userAgent;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(64)
                        .setMaxConnPerRoute(16)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(CONNECT_TIMEOUT).build())
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .build();
    }

    public SendResult send(RemoteWriteConfig target, byte[] snappyPayload) {
        HttpPost post = new HttpPost(target.url());
        Timeout timeout = Timeout.ofMilliseconds(Math.max(1, target.remoteTimeout().toMillis()));
        post.setConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout).build());
        post.setEntity(new ByteArrayEntity(snappyPayload, PROTOBUF, "snappy"));
        for (Map.Entry<String, String> header : target.headers().entrySet()) {
            if (!RESERVED_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) post.setHeader(header.getKey(), header.getValue());
        }
        post.setHeader("User-Agent", userAgent);
        post.setHeader("X-Prometheus-Remote-Write-Version", PROTOCOL_VERSION);
        if (target.basicAuthUsername() != null) post.setHeader("Authorization", basicAuth(target));
        try {
            return client.execute(post, RemoteWriteHttpSender::classify);
        } catch (IOException e) {
            return SendResult.networkError(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + truncate(e.getMessage())));
        }
    }

    private static String basicAuth(RemoteWriteConfig target) {
        String password = target.basicAuthPassword() == null ? "" : target.basicAuthPassword();
        String pair = target.basicAuthUsername() + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    static SendResult classify(ClassicHttpResponse response) throws IOException {
        int status = response.getCode();
        if (status >= 200 && status < 300) {
            EntityUtils.consume(response.getEntity());
            return SendResult.success(status);
        }
        String message = readMessage(response.getEntity());
        if (status >= 500 || status == 429) return SendResult.retryable(status, message, retryAfter(response.getFirstHeader("Retry-After")));
        return SendResult.permanent(status, message);
    }

    /** Retry-After as delay-seconds or an HTTP date; null when absent or unparsable. */
    static Duration retryAfter(Header header) {
        if (header == null) return null;
        String value = header.getValue().trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration untilDate = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return untilDate.isNegative() ? Duration.ZERO : untilDate;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static String readMessage(HttpEntity entity) throws IOException {
        if (entity == null) return "";
        try (InputStream in = entity.getContent()) {
            byte[] head = in.readNBytes(MAX_MESSAGE_CHARS * 4);
            return truncate(new String(head, StandardCharsets.UTF_8).strip());
        }
    }


    static String truncate(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= MAX_MESSAGE_CHARS ? oneLine : oneLine.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
