package io.flinkruler.kafka;

/** Why a Kafka record was skipped; each reason has its own counter and is logged once. */
public enum UndecodableReason {
    /** A record without a value (a tombstone) or with an empty one. */
    EMPTY_VALUE("emptyValue"),
    /** The tenant header holds no usable tenant name. */
    INVALID_TENANT("invalidTenant"),
    /** Not a Snappy block (remote_write format). */
    NOT_SNAPPY("notSnappy"),
    /** Snappy, but no remote-write protobuf inside. */
    NOT_PROTOBUF("notProtobuf"),
    /** A Content-Type header that names no remote-write protobuf message (remote_write format). */
    UNSUPPORTED_CONTENT_TYPE("unsupportedContentType"),
    /** Top-level fields of both remote-write 1.0 and 2.0, or of the version the Content-Type header does not name. */
    VERSION_CONFLICT("versionConflict"),
    /** A remote-write 2.0 label reference outside the symbol table, or an odd number of them. */
    INVALID_SYMBOL_REF("invalidSymbolRef"),
    /** Not a JSON object of the expected layout (json format). */
    INVALID_JSON("invalidJson"),
    /** A series without labels, an unparseable timestamp or value. */
    INVALID_SAMPLE("invalidSample");

    private final String metricName;

    UndecodableReason(String metricName) { this.metricName = metricName; }

    /** The name of this reason's counter, in the {@code reason} metric group. */
    public String metricName() { return metricName; }
}
