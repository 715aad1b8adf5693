package io.flinkruler.kafka;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** Keeps the counters registered in it by dotted path, so tests can read them back. */
final class CountingMetricGroup extends UnregisteredMetricsGroup {
    private final String scope;
    private final Map<String, Counter> counters;

    CountingMetricGroup() { this("", new TreeMap<>()); }

    private CountingMetricGroup(String scope, Map<String, Counter> counters) {
        this.scope = scope;
        this.counters = counters;
    }

    long count(String path) {
        Counter c = counters.get(path);
        if (c == null) throw new AssertionError("no counter " + path + " in " + counters.keySet());
        return c.getCount();
    }

    private String path(String name) { return scope.isEmpty() ? name : scope + "." + name; }

    @Override
    public Counter counter(String name) { return counter(name, new SimpleCounter()); }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        if (counters.putIfAbsent(path(name), counter) != null) throw new AssertionError("registered twice: " + path(name));
        return counter;
    }

    @Override
    public MetricGroup addGroup(String name) { return new CountingMetricGroup(path(name), counters); }

    @Override
    public MetricGroup addGroup(String key, String value) { return new CountingMetricGroup(path(key + "." + value), counters); }
}
