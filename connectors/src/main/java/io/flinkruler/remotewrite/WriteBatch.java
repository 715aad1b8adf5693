package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.List;
import java.util.Objects;

/**
 * The samples of one rule-group evaluation and where they go: input record of {@link RemoteWriteSink}.
 * Samples are parallel arrays (one entry per sample); values are kept bit-exact, so NaN payloads such as
 * the staleness marker survive. The batch owns the arrays handed to it and never changes them.
 */
@TypeInfo(WriteBatchTypeInfoFactory.class)
public final class WriteBatch {
    private final String tenant;
    private final List<RemoteWriteConfig> targets;
    private final Labels[] series;
    private final long[] timestampsMs;
    private final double[] values;

    public WriteBatch(String tenant, List<RemoteWriteConfig> targets, Labels[] series, long[] timestampsMs, double[] values) {
        if (series.length != timestampsMs.length || series.length != values.length) {
            throw new IllegalArgumentException("series, timestamps and values differ in length: "
                    + series.length + ", " + timestampsMs.length + ", " + values.length);
        }
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.targets = List.copyOf(targets);
        this.series = series;
        this.timestampsMs = timestampsMs;
        this.values = values;
    }

    public String tenant() { return tenant; }
    public List<RemoteWriteConfig> targets() { return targets; }
    public int size() { return values.length; }
    public Labels series(int i) { return series[i]; }
    public long timestampMs(int i) { return timestampsMs[i]; }
    public double value(int i) { return values[i]; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof WriteBatch other)) return false;
        if (!tenant.equals(other.tenant) || !targets.equals(other.targets) || size() != other.size()) return false;
        for (int i = 0; i < values.length; i++) {
            if (!series[i].equals(other.series[i]) || timestampsMs[i] != other.timestampsMs[i]
                    || Double.doubleToRawLongBits(values[i]) != Double.doubleToRawLongBits(other.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = tenant.hashCode() * 31 + targets.hashCode();
        for (int i = 0; i < values.length; i++) h = h * 31 + series[i].hashCode() + Long.hashCode(timestampsMs[i]);
        return h;
    }

    @Override
    public String toString() {
        return "WriteBatch{tenant=" + tenant + ", samples=" + values.length + ", targets=" + targets + "}";
    }
}
