package io.flinkruler.source;

import io.flinkruler.source.GeneratorOptions.Mode;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Emits the rounds of its splits, the split furthest behind in time first, one round of one split per
 * {@link #pollNext}. Live mode waits for the wall clock to reach a round's time; a split more than one
 * interval late (after a restore) skips to the current round, as a scraper that was down leaves a gap.
 */
final class GeneratorReader implements SourceReader<Sample, GeneratorSplit> {
    private final GeneratorOptions options;
    private final long intervalMs;
    private final LongSupplier clock;
    private final List<Running> running = new ArrayList<>();
    private final List<Running> added = new ArrayList<>();
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    GeneratorReader(GeneratorOptions options, LongSupplier clock) {
        this.options = options;
        this.intervalMs = options.interval().toMillis();
        this.clock = clock;
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<Sample> output) {
        for (Running r : added) {
            r.output = output.createOutputForSplit(r.split.splitId());
            running.add(r);
        }
        added.clear();
        Running next = null;
        for (Running r : running) if (next == null || r.nextRound < next.nextRound) next = r;
        if (next == null) return noMoreSplits ? InputStatus.END_OF_INPUT : waitFor(new CompletableFuture<>());
        if (next.nextRound >= options.rounds()) {
            running.remove(next);
            output.releaseOutputForSplit(next.split.splitId());
            return InputStatus.MORE_AVAILABLE;
        }
        if (options.mode() == Mode.LIVE) {
            long now = clock.getAsLong();
            long due = next.timeOf(next.nextRound);
            if (due > now) {
                return waitFor(CompletableFuture.runAsync(() -> {},
                        CompletableFuture.delayedExecutor(due - now, TimeUnit.MILLISECONDS)));
            }
            if (now - due > intervalMs) next.nextRound = Math.min(options.rounds(), (now - next.split.startTimeMs()) / intervalMs);
            if (next.nextRound >= options.rounds()) return InputStatus.MORE_AVAILABLE;
        }
        next.emitRound();
        return InputStatus.MORE_AVAILABLE;
    }

    private InputStatus waitFor(CompletableFuture<?> event) {
        CompletableFuture<Void> next = new CompletableFuture<>();
        event.whenComplete((r, e) -> next.complete(null));
        available = next;
        return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<GeneratorSplit> snapshotState(long checkpointId) {
        List<GeneratorSplit> state = new ArrayList<>();
        for (Running r : added) state.add(r.position());
        for (Running r : running) state.add(r.position());
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() { return available; }

    @Override
    public void addSplits(List<GeneratorSplit> splits) {
        for (GeneratorSplit s : splits) added.add(new Running(s));
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() {}

    private final class Running {
        final GeneratorSplit split;
        final GeneratedSeries[] targets;
        final double[] values = new double[GeneratedSeries.SERIES_PER_TARGET];
        long nextRound;
        SourceOutput<Sample> output;

        Running(GeneratorSplit split) {
            this.split = split;
            this.nextRound = split.nextRound();
            this.targets = new GeneratedSeries[split.endTarget() - split.firstTarget()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = new GeneratedSeries(options.seed(), split.firstTarget() + i, intervalMs, options.counterResetEveryRounds());
            }
        }

        long timeOf(long round) { return split.startTimeMs() + round * intervalMs; }

        void emitRound() {
            long ts = timeOf(nextRound);
            for (GeneratedSeries target : targets) {
                target.values(nextRound, values);
                for (int s = 0; s < values.length; s++) output.collect(new Sample(options.tenant(), target.labels[s], ts, values[s]), ts);
            }
            nextRound++;
        }

        GeneratorSplit position() {
            return new GeneratorSplit(split.firstTarget(), split.endTarget(), split.startTimeMs(), nextRound);
        }
    }
}
