package io.flinkruler.swift;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Swift object API for one account: authenticates lazily, re-authenticates once when a request is answered
 * 401 (token expired or revoked) and a little before a known expiry. Thread-safe.
 */
final class SwiftClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwiftClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SwiftConfig config;
    private final SwiftHttp http;
    private final SwiftAuthenticator authenticator;
    private final AtomicInteger authentications = new AtomicInteger();
    private SwiftSession session;

    SwiftClient(SwiftConfig config) {
        this.config = config;
        this.http = new SwiftHttp(config);
        this.authenticator = SwiftAuthenticator.forConfig(config);
    }

    SwiftConfig config() {
        return config;
    }

    /** How many times this client authenticated (tests check re-authentication with it). */
    int authentications() {
        return authentications.get();
    }

    /** The storage URL of the account (authenticates if needed). */
    String storageUrl() throws IOException {
        return currentSession().storageUrl();
    }

    /** HEAD object, or HEAD container for an empty key. */
    SwiftResponse head(SwiftObjectPath path) throws IOException {
        return send("HEAD", path, "", Map.of(), null, "HEAD " + path);
    }

    SwiftResponse get(SwiftObjectPath path) throws IOException {
        return send("GET", path, "", Map.of(), null, "GET " + path);
    }

    SwiftResponse put(SwiftObjectPath path, byte[] body, Map<String, String> headers) throws IOException {
        return send("PUT", path, "", headers, body, "PUT " + path);
    }

    SwiftResponse delete(SwiftObjectPath path) throws IOException {
        return send("DELETE", path, "", Map.of(), null, "DELETE " + path);
    }

    /**
     * One page of a container listing, in name order. With a delimiter, names below the next delimiter collapse
     * into {@code subdir} entries. The next page starts after the last entry's name.
     *
     * @throws FileNotFoundException when the container does not exist
     */
    List<ListingEntry> listPage(String container, String prefix, String delimiter, String marker, int limit) throws IOException {
        StringBuilder query = new StringBuilder("format=json&limit=").append(limit);
        if (!prefix.isEmpty()) query.append("&prefix=").append(SwiftObjectPath.encodeQueryValue(prefix));
        if (delimiter != null) query.append("&delimiter=").append(SwiftObjectPath.encodeQueryValue(delimiter));
        if (marker != null) query.append("&marker=").append(SwiftObjectPath.encodeQueryValue(marker));
        SwiftObjectPath containerPath = new SwiftObjectPath(container, "");
        SwiftResponse response = send("GET", containerPath, query.toString(), Map.of("Accept", "application/json"), null,
                "list " + containerPath + " prefix '" + prefix + "'");
        if (response.status() == 404) throw new FileNotFoundException("swift: container '" + container + "' does not exist");
        if (response.status() == 204) return List.of();
        if (!response.isSuccess()) throw failure("list " + containerPath + " prefix '" + prefix + "'", response);
        List<ListingEntry> entries = new ArrayList<>();
        for (JsonNode item : JSON.readTree(response.body())) {
            if (item.has("subdir")) {
                entries.add(ListingEntry.subdir(item.get("subdir").asText()));
            } else {
                entries.add(new ListingEntry(item.path("name").asText(), false, item.path("bytes").asLong(),
                        item.path("hash").asText(null), listingTimeMillis(item.path("last_modified").asText(null))));
            }
        }
        return entries;
    }

    /** The listing's {@code last_modified} is UTC without a zone, with microseconds: cut to milliseconds. */
    static long listingTimeMillis(String value) {
        if (value == null) return 0;
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    static SwiftException failure(String what, SwiftResponse response) {
        String transaction = response.header("X-Trans-Id");
        return new SwiftException("swift: " + what + " failed: HTTP " + response.status()
                + (transaction == null ? "" : " (transaction " + transaction + ")")
                + detail(response), response.status());
    }

    /** Swift's error bodies are one short HTML sentence; strip the markup and keep it short. */
    private static String detail(SwiftResponse response) {
        String text = new String(response.body(), 0, Math.min(response.body().length, 300), StandardCharsets.UTF_8)
                .replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        return text.isEmpty() ? "" : ": " + text;
    }

    private SwiftResponse send(String method, SwiftObjectPath path, String query, Map<String, String> headers, byte[] body,
                               String what) throws IOException {
        SwiftSession used = currentSession();
        SwiftResponse response = sendWith(used, method, path, query, headers, body, what);
        if (response.status() != 401) return response;
        LOG.info("swift: {} answered 401, authenticating again", what);
        return sendWith(renewSession(used), method, path, query, headers, body, what);
    }

    private SwiftResponse sendWith(SwiftSession session, String method, SwiftObjectPath path, String query,
                                   Map<String, String> headers, byte[] body, String what) throws IOException {
        URI uri = URI.create(session.storageUrl() + "/" + path.encoded() + (query.isEmpty() ? "" : "?" + query));
        Map<String, String> all = new HashMap<>(headers);
        all.put("X-Auth-Token", session.token());
        return http.execute(method, uri, all, body, body == null ? null : headers.getOrDefault("Content-Type",
                "application/octet-stream"), what);
    }

    private synchronized SwiftSession currentSession() throws IOException {
        if (session == null || session.isExpired(Instant.now())) session = authenticate();
        return session;
    }

    /** Another thread may already have replaced the rejected session: only authenticate if it has not. */
    private synchronized SwiftSession renewSession(SwiftSession rejected) throws IOException {
        if (session == rejected || session == null) session = authenticate();
        return session;
    }

    private SwiftSession authenticate() throws IOException {
        SwiftSession fresh = authenticator.authenticate(http);
        authentications.incrementAndGet();
        LOG.info("swift: authenticated (auth v{}) at {}; storage URL {}", config.authVersion(), config.authUrl(), fresh.storageUrl());
        return fresh;
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** One entry of a container listing: an object or (with a delimiter) a common prefix ending in the delimiter. */
    record ListingEntry(String name, boolean isSubdir, long bytes, String hash, long lastModifiedMillis) {
        static ListingEntry subdir(String name) {
            return new ListingEntry(name, true, 0, null, 0);
        }
    }
}
