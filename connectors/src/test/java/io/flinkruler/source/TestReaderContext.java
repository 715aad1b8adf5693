package io.flinkruler.source;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/** The context of a reader running outside a task: subtask 0 of 1, metrics discarded. */
public final class TestReaderContext implements SourceReaderContext {
    @Override
    public SourceReaderMetricGroup metricGroup() { return UnregisteredMetricsGroup.createSourceReaderMetricGroup(); }

    @Override
    public Configuration getConfiguration() { return new Configuration(); }

    @Override
    public String getLocalHostName() { return "localhost"; }

    @Override
    public int getIndexOfSubtask() { return 0; }

    @Override
    public void sendSplitRequest() {}

    @Override
    public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
    }

    @Override
    public int currentParallelism() { return 1; }
}
