package io.flinkruler.swift;

import java.io.IOException;

/**
 * A Swift or Keystone request answered with an unexpected HTTP status. The message names the operation, the
 * object and the status (plus Swift's transaction id for the operator), never a token or a password.
 */
public class SwiftException extends IOException {
    private final int status;

    public SwiftException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or -1 when none was received. */
    public int status() {
        return status;
    }
}
