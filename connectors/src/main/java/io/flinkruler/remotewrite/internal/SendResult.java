package io.flinkruler.remotewrite.internal;

import java.time.Duration;

/**
 * How one POST ended. {@link Kind#RETRYABLE}: 5xx, 429, network error or timeout (may carry the receiver's
 * Retry-After). {@link Kind#PERMANENT}: any other non-2xx; sending the same body again cannot succeed.
 */
public record SendResult(Kind kind, int status, String message, Duration retryAfter) {
    public enum Kind { SUCCESS, RETRYABLE, PERMANENT }

    public static SendResult success(int status) { return new SendResult(Kind.SUCCESS, status, "", null); }

    public static SendResult retryable(int status, String message, Duration retryAfter) {
        return new SendResult(Kind.RETRYABLE, status, message, retryAfter);
    }

    public static SendResult permanent(int status, String message) { return new SendResult(Kind.PERMANENT, status, message, null); }

    /** Status 0 stands for "no HTTP response" (connection refused, timeout...). */
    public static SendResult networkError(String message) { return retryable(0, message, null); }

    public boolean isSuccess() { return kind == Kind.SUCCESS; }

    public String describe() {
        return (status == 0 ? "no response" : "HTTP " + status) + (message.isEmpty() ? "" : ": " + message);
    }
}
