package io.flinkruler.source;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hands a fixed set of splits to the readers, round-robin by position, each reader getting all of
 * its splits at once when it registers, then "no more splits". Giving a reader all its splits up
 * front matters for event time: the reader registers a watermark output per split immediately, so
 * its watermark is the minimum over all its splits, including those it has not started yet.
 * Splits given back after a failure go back to the same reader when it registers again.
 */
public final class StaticSplitEnumerator<S extends SourceSplit> implements SplitEnumerator<S, List<S>> {
    private final SplitEnumeratorContext<S> context;
    private final List<S> initial;
    /** Not yet assigned splits per reader; computed at the first registration, when parallelism is known. */
    private Map<Integer, List<S>> pending;

    public StaticSplitEnumerator(SplitEnumeratorContext<S> context, Collection<S> splits) {
        this.context = context;
        this.initial = new ArrayList<>(splits);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<S> splits, int subtaskId) {
        pending().computeIfAbsent(subtaskId, k -> new ArrayList<>()).addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        List<S> mine = pending().remove(subtaskId);
        if (mine != null && !mine.isEmpty()) context.assignSplits(new SplitsAssignment<>(Map.of(subtaskId, mine)));
        context.signalNoMoreSplits(subtaskId);
    }

    private Map<Integer, List<S>> pending() {
        if (pending == null) {
            pending = new TreeMap<>();
            int parallelism = Math.max(1, context.currentParallelism());
            for (int i = 0; i < initial.size(); i++) {
                pending.computeIfAbsent(i % parallelism, k -> new ArrayList<>()).add(initial.get(i));
            }
        }
        return pending;
    }

    @Override
    public List<S> snapshotState(long checkpointId) {
        if (pending == null) return new ArrayList<>(initial);
        List<S> all = new ArrayList<>();
        pending.values().forEach(all::addAll);
        return all;
    }

    @Override
    public void close() {}
}
