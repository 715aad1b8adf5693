package io.flinkruler.remotewrite.internal;

import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * POSTs one remote-write body (1.0 or 2.0) and classifies the outcome; no retries here (the committer
 * decides). Credentials, TLS material and extra headers go on the wire only; nothing this class returns or
 * logs contains them. Credential files are read for every request, TLS files whenever they change, so that
 * rotated secrets take effect without a restart.
 */
public final class RemoteWriteHttpSender implements AutoCloseable {
    public static final String PROTOCOL_VERSION_1 = "0.1.0";
    public static final String PROTOCOL_VERSION_2 = "2.0.0";
    /** @deprecated use {@link #PROTOCOL_VERSION_1} */
    @Deprecated
    public static final String PROTOCOL_VERSION = PROTOCOL_VERSION_1;
    public static final String SAMPLES_WRITTEN_HEADER = "X-Prometheus-Remote-Write-Samples-Written";
    private static final ContentType PROTOBUF_V1 = ContentType.create("application/x-protobuf");
    /** Written as the 2.0 specification spells it (a ContentType object would add a space after the ';'). */
    private static final String PROTOBUF_V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";
    private static final int MAX_MESSAGE_CHARS = 512;
    /** Headers the protocol owns; a target's extra headers cannot replace them. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-encoding", "content-type", "content-length",
            "user-agent", "x-prometheus-remote-write-version", "host", "authorization");

    private final String userAgent;
    private final HttpTransports transports = new HttpTransports();

    public RemoteWriteHttpSender(String userAgent) {
        this.userAgent = userAgent;
    }

    /** Sends a remote-write 1.0 body. */
    public SendResult send(RemoteWriteConfig target, byte[] snappyPayload) {
        return send(target, snappyPayload, ProtobufMessage.V1);
    }

    public SendResult send(RemoteWriteConfig target, byte[] snappyPayload, ProtobufMessage format) {
        HttpPost post = new HttpPost(target.url());
        Timeout timeout = Timeout.ofMilliseconds(Math.max(1, target.remoteTimeout().toMillis()));
        post.setConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout).build());
        if (format == ProtobufMessage.V2) {
            post.setEntity(new ByteArrayEntity(snappyPayload, null, "snappy"));
            post.setHeader("Content-Type", PROTOBUF_V2);
        } else {
            post.setEntity(new ByteArrayEntity(snappyPayload, PROTOBUF_V1, "snappy"));
        }
        for (Map.Entry<String, String> header : target.headers().entrySet()) {
            if (!RESERVED_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) post.setHeader(header.getKey(), header.getValue());
        }
        post.setHeader("User-Agent", userAgent);
        post.setHeader("X-Prometheus-Remote-Write-Version", format == ProtobufMessage.V2 ? PROTOCOL_VERSION_2 : PROTOCOL_VERSION_1);
        try {
            String authorization = EndpointCredentials.authorizationHeader(target);
            if (authorization != null) post.setHeader("Authorization", authorization);
        } catch (IOException e) {
            return SendResult.networkError(truncate(e.getMessage()));
        }
        boolean retry429 = target.queue().retryOnHttp429();
        try {
            return transports.clientFor(target).execute(post, response -> classify(response, retry429));
        } catch (IOException e) {
            return SendResult.networkError(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + truncate(e.getMessage())));
        }
    }

    static SendResult classify(ClassicHttpResponse response) throws IOException {
        return classify(response, true);
    }

    static SendResult classify(ClassicHttpResponse response, boolean retry429) throws IOException {
        int status = response.getCode();
        if (status >= 200 && status < 300) {
            EntityUtils.consume(response.getEntity());
            return SendResult.success(status, samplesWritten(response.getFirstHeader(SAMPLES_WRITTEN_HEADER)));
        }
        String message = readMessage(response.getEntity());
        if (status >= 500 || (status == 429 && retry429)) {
            return SendResult.retryable(status, message, retryAfter(response.getFirstHeader("Retry-After")));
        }
        return SendResult.permanent(status, message);
    }

    private static Long samplesWritten(Header header) {
        if (header == null) return null;
        try {
            return Long.parseLong(header.getValue().trim());
        } catch (NumberFormatException e) {
            return null;
        }
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
        if (s == null) return "";
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= MAX_MESSAGE_CHARS ? oneLine : oneLine.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    @Override
    public void close() throws IOException {
        transports.close();
    }
}
