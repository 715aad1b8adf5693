package io.flinkruler.swift;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends one request with retries: connection failures, 5xx and 429 are retried up to {@code max_retries} times
 * with exponential backoff (every request this package sends is idempotent: GET, HEAD, PUT of a whole object,
 * DELETE, and the token POST). Other statuses, 401 included, go back to the caller.
 */
final class SwiftHttp implements AutoCloseable {
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final CloseableHttpClient client;
    private final RequestConfig requestConfig;
    private final int maxRetries;

    SwiftHttp(SwiftConfig config) {
        Timeout connect = Timeout.ofMilliseconds(config.connectTimeout().toMillis());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(32)
                        .setMaxConnPerRoute(16)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect).build())
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .setUserAgent("flink-ruler-swift")
                .build();
        Timeout response = Timeout.ofMilliseconds(config.requestTimeout().toMillis());
        this.requestConfig = RequestConfig.custom().setResponseTimeout(response).setConnectionRequestTimeout(response).build();
        this.maxRetries = config.maxRetries();
    }

    /**
     * @param what describes the request for error messages (no secrets: callers pass operation and object name)
     */
    SwiftResponse execute(String method, URI uri, Map<String, String> headers, byte[] body, String contentType, String what)
            throws IOException {
        IOException lastFailure = null;
        SwiftResponse lastRetryable = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0) pause(attempt);
            try {
                SwiftResponse response = client.execute(request(method, uri, headers, body, contentType), SwiftHttp::buffer);
                if (response.status() < 500 && response.status() != 429) return response;
                lastRetryable = response;
                lastFailure = null;
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                lastFailure = e;
                lastRetryable = null;
            }
        }
        if (lastRetryable != null) return lastRetryable;
        throw new IOException("swift: " + what + " failed after " + (maxRetries + 1) + " attempts: "
                + lastFailure.getClass().getSimpleName() + (lastFailure.getMessage() == null ? "" : ": " + lastFailure.getMessage()),
                lastFailure);
    }

    private HttpUriRequestBase request(String method, URI uri, Map<String, String> headers, byte[] body, String contentType) {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        request.setConfig(requestConfig);
        headers.forEach(request::setHeader);
        if (body != null) request.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
        return request;
    }

    private static SwiftResponse buffer(ClassicHttpResponse response) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (Header h : response.getHeaders()) headers.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
        byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
        return new SwiftResponse(response.getCode(), headers, body);
    }

    private static void pause(int attempt) throws InterruptedIOException {
        long millis = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (attempt - 1));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("swift: interrupted while waiting to retry");
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
