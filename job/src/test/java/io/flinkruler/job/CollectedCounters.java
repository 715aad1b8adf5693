package io.flinkruler.job;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps every counter of the jobs run in this JVM by its full identifier, so tests
 * can read operator counters after (or while) a local job runs. Enable it with {@link #enable}.
 */
public final class CollectedCounters {
    private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

    private CollectedCounters() {}

    /** Adds the reporter to a job's Flink configuration. */
    public static void enable(org.apache.flink.configuration.Configuration conf) {
        conf.setString("metrics.reporter.collected.factory.class", Factory.class.getName());
    }

    public static void clear() { COUNTERS.clear(); }

    /** The sum of all counters whose identifier ends with {@code "." + suffix} (over subtasks). */
    public static long sum(String suffix) {
        long total = 0;
        for (Map.Entry<String, Counter> e : COUNTERS.entrySet()) {
            if (e.getKey().endsWith("." + suffix)) total += e.getValue().getCount();
        }
        return total;
    }

    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) { return new Reporter(); }
    }

    private static final class Reporter implements MetricReporter {
        @Override public void open(MetricConfig config) {}

        @Override public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
            if (metric instanceof Counter c) COUNTERS.put(group.getMetricIdentifier(name), c);
        }

        /** Kept: tests read the counts after the job has ended. */
        @Override public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
    }
}
