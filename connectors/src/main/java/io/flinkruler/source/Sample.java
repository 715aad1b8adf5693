package io.flinkruler.source;

import io.flinkruler.model.Labels;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Objects;

/**
 * One sample of one series of one tenant, as sample sources emit it. The labels include
 * {@code __name__}; the value may be NaN, ±Inf or a staleness marker.
 */
@TypeInfo(SampleTypeInfoFactory.class)
public record Sample(String tenant, Labels labels, long timestampMs, double value) {
    public Sample {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(labels, "labels");
    }

    /** Equal when the value bits are equal, so NaN equals NaN but a stale marker differs from NaN. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && timestampMs == s.timestampMs
                && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(s.value)
                && tenant.equals(s.tenant) && labels.equals(s.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenant, labels, timestampMs, Double.doubleToRawLongBits(value));
    }

    @Override
    public String toString() {
        return tenant + ":" + labels + " " + value + " @" + timestampMs;
    }
}
