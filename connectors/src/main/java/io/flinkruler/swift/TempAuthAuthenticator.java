package io.flinkruler.swift;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * TempAuth / auth v1.0: {@code GET auth_url} with {@code X-Auth-User} and {@code X-Auth-Key}; the answer carries
 * {@code X-Storage-Url}, {@code X-Auth-Token} and (TempAuth, swauth) {@code X-Auth-Token-Expires} in seconds.
 */
final class TempAuthAuthenticator implements SwiftAuthenticator {
    private final SwiftConfig config;

    TempAuthAuthenticator(SwiftConfig config) {
        this.config = config;
    }

    @Override
    public SwiftSession authenticate(SwiftHttp http) throws IOException {
        Instant requested = Instant.now();
        SwiftResponse response = http.execute("GET", URI.create(config.authUrl()),
                Map.of("X-Auth-User", config.username(), "X-Auth-Key", config.password()), null, null,
                "TempAuth authentication of " + config.username() + " at " + config.authUrl());
        if (response.status() == 401 || response.status() == 403) {
            throw new SwiftException("swift: TempAuth at " + config.authUrl() + " rejected user " + config.username()
                    + " (HTTP " + response.status() + ")", response.status());
        }
        if (!response.isSuccess()) {
            throw new SwiftException("swift: TempAuth at " + config.authUrl() + " answered HTTP " + response.status(), response.status());
        }
        String storageUrl = response.header("X-Storage-Url");
        String token = response.header("X-Auth-Token");
        if (token == null) token = response.header("X-Storage-Token");
        if (storageUrl == null || token == null) {
            throw new SwiftException("swift: TempAuth at " + config.authUrl() + " answered without X-Storage-Url or X-Auth-Token",
                    response.status());
        }
        return new SwiftSession(stripTrailingSlash(storageUrl), token, expiry(requested, response.header("X-Auth-Token-Expires")));
    }

    private static Instant expiry(Instant requested, String seconds) {
        if (seconds == null) return null;
        try {
            return requested.plusSeconds(Long.parseLong(seconds.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
