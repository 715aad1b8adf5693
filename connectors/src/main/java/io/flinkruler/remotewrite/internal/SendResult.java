package io.flinkruler.remotewrite.internal;

import java.time.Duration;

/**
 * How one POST ended. {@link Kind#RETRYABLE}: 5xx, 429 (unless the endpoint disables retrying it), network
 * error or timeout (may carry the receiver's Retry-After). {@link Kind#PERMANENT}: any other non-2xx; sending
 * the same body again cannot succeed. {@code samplesWritten} is the 2.0 receiver's
 * {@code X-Prometheus-Remote-Write-Samples-Written} header, null when absent.
 */
public record SendResult(Kind kind, int status, String message, Duration retryAfter, Long samplesWritten) {
    public enum Kind { SUCCESS, RETRYABLE, PERMANENT }

    public static SendResult success(int status) { return success(status, null); }

    public static SendResult success(int status, Long samplesWritten) { return new SendResult(Kind.SUCCESS, status, "", null, samplesWritten); }

    public static SendResult retryable(int status, String message, Duration retryAfter) {
        return new SendResult(Kind.RETRYABLE, status, message, retryAfter, null);
    }

    public static SendResult permanent(int status, String message) { return new SendResult(Kind.PERMANENT, status, message, null, null); }

    /** Status 0 stands for "no HTTP response" (connection refused, timeout, unreadable credentials file...). */
    public static SendResult networkError(String message) { return retryable(0, message, null); }

    public boolean isSuccess() { return kind == Kind.SUCCESS; }

    public String describe() {
        return (status == 0 ? "no response" : "HTTP " + status) + (message.isEmpty() ? "" : ": " + message);
    }
}
