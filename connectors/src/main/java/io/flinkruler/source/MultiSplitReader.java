package io.flinkruler.source;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The split bookkeeping of a reader that reads several splits in turn, each through its own split output (so each
 * has its own watermark): added splits get their output at the next poll (creating it needs the poll's output),
 * checkpoints hold every split's position, and the availability future wakes the task for new splits and for the
 * end of splits. Subclasses decide which split to read next and read it.
 */
abstract class MultiSplitReader<S extends SourceSplit, P extends MultiSplitReader.SplitInProgress<S>> implements SourceReader<Sample, S> {

    /** A split being read, with its output once the reader has polled since it was added. */
    abstract static class SplitInProgress<S extends SourceSplit> {
        final S split;
        SourceOutput<Sample> output;

        SplitInProgress(S split) { this.split = split; }

        /** Where reading resumes after a restore. */
        abstract S position();
    }

    /** Splits with their output; subclasses take the next one from here. */
    private final ArrayDeque<P> inProgress = new ArrayDeque<>();
    /** Newly added splits whose output is created at the next poll. */
    private final List<P> added = new ArrayList<>();
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    /** The state of reading {@code split} from its position, not yet started. */
    abstract P startReading(S split);

    /** Reads from the splits in progress; called after newly added splits have joined them. */
    abstract InputStatus pollSplits(ReaderOutput<Sample> output) throws IOException;

    final ArrayDeque<P> inProgress() { return inProgress; }

    @Override
    public void start() {}

    @Override
    public final InputStatus pollNext(ReaderOutput<Sample> output) throws IOException {
        for (P split : added) {
            split.output = output.createOutputForSplit(split.split.splitId());
            inProgress.addLast(split);
        }
        added.clear();
        return pollSplits(output);
    }

    /** Removes a split that is read to its end and releases its output. */
    final void finished(P split, ReaderOutput<Sample> output) {
        inProgress.remove(split);
        output.releaseOutputForSplit(split.split.splitId());
    }

    /** What a poll returns with no split in progress: the end once the enumerator has no more, else a wait for one. */
    final InputStatus noSplitInProgress() {
        return noMoreSplits ? InputStatus.END_OF_INPUT : waitFor(new CompletableFuture<>());
    }

    /** Nothing to read until {@code event} completes, a split is added or the enumerator says there are no more. */
    final InputStatus waitFor(CompletableFuture<?> event) {
        CompletableFuture<Void> next = new CompletableFuture<>();
        event.whenComplete((r, e) -> next.complete(null));
        available = next;
        return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<S> snapshotState(long checkpointId) {
        List<S> state = new ArrayList<>();
        for (P split : added) state.add(split.position());
        for (P split : inProgress) state.add(split.position());
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() { return available; }

    @Override
    public void addSplits(List<S> splits) {
        for (S split : splits) added.add(startReading(split));
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() throws Exception {}
}
