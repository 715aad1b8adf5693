package io.flinkruler.remotewrite;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import java.util.Map;
import java.util.TreeMap;

/** A metric group that keeps what is registered, by dotted scope path, so tests can read it back. */
final class RecordingMetricGroup extends UnregisteredMetricsGroup {
    private final String scope;
    private final Map<String, Object> metrics;

    RecordingMetricGroup() {
        this("", new TreeMap<>());
    }

    private RecordingMetricGroup(String scope, Map<String, Object> metrics) {
        this.scope = scope;
        this.metrics = metrics;
    }

    long count(String path) {
        Object metric = metrics.get(path);
        if (!(metric instanceof Counter counter)) throw new AssertionError("no counter " + path + " in " + metrics.keySet());
        return counter.getCount();
    }

    Object gaugeValue(String path) {
        return ((Gauge<?>) metrics.get(path)).getValue();
    }

    Iterable<String> paths() { return metrics.keySet(); }

    /** Every counter and gauge with its current value, for failure messages. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        synchronized (metrics) {
            metrics.forEach((path, m) -> sb.append(path).append('=')
                    .append(m instanceof Counter c ? c.getCount() : m instanceof Gauge<?> g ? g.getValue() : m).append('\n'));
        }
        return sb.toString();
    }

    private String path(String name) { return scope.isEmpty() ? name : scope + "." + name; }

    @Override
    public Counter counter(String name) { return counter(name, new SimpleCounter()); }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        synchronized (metrics) {
            if (metrics.putIfAbsent(path(name), counter) != null) throw new AssertionError("registered twice: " + path(name));
        }
        return counter;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        synchronized (metrics) {
            metrics.put(path(name), gauge);
        }
        return gauge;
    }

    @Override
    public <H extends org.apache.flink.metrics.Histogram> H histogram(String name, H histogram) {
        synchronized (metrics) {
            metrics.put(path(name), histogram);
        }
        return histogram;
    }

    long histogramCount(String path) {
        return ((org.apache.flink.metrics.Histogram) metrics.get(path)).getCount();
    }

    @Override
    public MetricGroup addGroup(String name) { return new RecordingMetricGroup(path(name), metrics); }

    @Override
    public MetricGroup addGroup(String key, String value) { return new RecordingMetricGroup(path(key + "." + value), metrics); }
}
