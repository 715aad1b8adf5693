package io.flinkruler.source;

import io.flinkruler.source.GeneratorOptions.Mode;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.core.io.InputStatus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Emits the rounds of its splits, the split furthest behind in time first, one round of one split per
 * {@link #pollNext}. Live mode waits for the wall clock to reach a round's time; a split more than one
 * interval late (after a restore) skips to the current round, as a scraper that was down leaves a gap.
 */
final class GeneratorReader extends MultiSplitReader<GeneratorSplit, GeneratorReader.Running> {
    private final GeneratorOptions options;
    private final long intervalMs;
    private final LongSupplier clock;

    GeneratorReader(GeneratorOptions options, LongSupplier clock) {
        this.options = options;
        this.intervalMs = options.interval().toMillis();
        this.clock = clock;
    }

    @Override
    Running startReading(GeneratorSplit split) { return new Running(split); }

    @Override
    InputStatus pollSplits(ReaderOutput<Sample> output) {
        Running next = null;
        for (Running r : inProgress()) if (next == null || r.nextRound < next.nextRound) next = r;
        if (next == null) return noSplitInProgress();
        if (next.nextRound >= options.rounds()) {
            finished(next, output);
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

    final class Running extends SplitInProgress<GeneratorSplit> {
        final GeneratedSeries[] targets;
        final double[] values = new double[GeneratedSeries.SERIES_PER_TARGET];
        long nextRound;

        Running(GeneratorSplit split) {
            super(split);
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

        @Override
        GeneratorSplit position() {
            return new GeneratorSplit(split.firstTarget(), split.endTarget(), split.startTimeMs(), nextRound);
        }
    }
}
