package io.flinkruler.remotewrite;

/**
 * Field numbers of remote-write 2.0's {@code io.prometheus.write.v2.Request} (Prometheus's
 * {@code prompb/io/prometheus/write/v2/types.proto}) that flink-ruler reads and writes: one place for the
 * sink's codec and the Kafka source's decoder.
 */
public final class WriteRequestV2Fields {
    public static final int REQUEST_SYMBOLS = 4;
    public static final int REQUEST_TIMESERIES = 5;
    public static final int TIMESERIES_LABELS_REFS = 1;
    public static final int TIMESERIES_SAMPLES = 2;
    public static final int SAMPLE_VALUE = 1;
    public static final int SAMPLE_TIMESTAMP = 2;

    private WriteRequestV2Fields() {}
}
