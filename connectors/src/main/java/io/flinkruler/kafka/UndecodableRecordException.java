package io.flinkruler.kafka;

/** A Kafka record that yields no samples; {@link #reason()} is what the skip is counted under. */
public final class UndecodableRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final UndecodableReason reason;

    public UndecodableRecordException(UndecodableReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public UndecodableRecordException(UndecodableReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public UndecodableReason reason() { return reason; }
}
