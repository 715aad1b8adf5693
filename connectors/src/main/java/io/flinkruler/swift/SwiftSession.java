package io.flinkruler.swift;

import java.time.Instant;

/**
 * What authentication yields: the account's storage URL and a token for it. {@code expiresAt} may be null
 * (unknown). The token never appears in {@link #toString()}.
 */
record SwiftSession(String storageUrl, String token, Instant expiresAt) {
    /** Renew a little before the server would: a request must not start with a token that dies in flight. */
    boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt.minusSeconds(30));
    }

    @Override
    public String toString() {
        return "SwiftSession{storageUrl=" + storageUrl + ", token=<redacted>, expiresAt=" + expiresAt + '}';
    }
}
