package io.flinkruler.source;

import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Live-mode timing with a controlled clock, and the checkpointed position. */
class GeneratorReaderTest {
    private static final long START = 1_700_000_000_000L;
    // a minute before START: live mode waits for it with a real-time delay of that length, which must not pass mid-test
    private final AtomicLong clock = new AtomicLong(START - 60_000);
    private final GeneratorOptions live = GeneratorOptions.live("t", 2, Duration.ofSeconds(15)).withStartTime(START);
    private static final int PER_ROUND = 2 * GeneratedSeries.SERIES_PER_TARGET;

    private GeneratorReader reader(GeneratorSplit split) {
        GeneratorReader reader = new GeneratorReader(live, clock::get);
        reader.addSplits(List.of(split));
        reader.notifyNoMoreSplits();
        return reader;
    }

    @Test
    void liveModeEmitsARoundWhenTheClockReachesIt() throws IOException {
        GeneratorReader reader = reader(new GeneratorSplit(0, 2, START, 0));
        CollectingReaderOutput<Sample> out = new CollectingReaderOutput<>();
        assertEquals(InputStatus.NOTHING_AVAILABLE, reader.pollNext(out));
        assertFalse(reader.isAvailable().isDone());
        assertEquals(0, out.records.size());

        clock.set(START);
        assertEquals(InputStatus.MORE_AVAILABLE, reader.pollNext(out));
        assertEquals(PER_ROUND, out.records.size());
        assertEquals(START, out.timestamps.get(0));
        assertEquals(InputStatus.NOTHING_AVAILABLE, reader.pollNext(out));

        clock.set(START + 15_000);
        reader.pollNext(out);
        assertEquals(2 * PER_ROUND, out.records.size());
        assertEquals(START + 15_000, out.timestamps.get(PER_ROUND));
        assertEquals(List.of(new GeneratorSplit(0, 2, START, 2)), reader.snapshotState(1));
    }

    @Test
    void aRestoredLiveSplitSkipsTheRoundsItMissed() throws IOException {
        clock.set(START + 10 * 15_000 + 5_000);
        GeneratorReader reader = reader(new GeneratorSplit(0, 2, START, 3));
        CollectingReaderOutput<Sample> out = new CollectingReaderOutput<>();
        reader.pollNext(out);
        assertEquals(PER_ROUND, out.records.size());
        assertEquals(START + 10 * 15_000, out.timestamps.get(0));
    }

    @Test
    void boundedRoundsEndTheInput() throws IOException {
        GeneratorOptions fast = GeneratorOptions.fast("t", 1, Duration.ofSeconds(1), START).withEndTime(START + 2_500);
        assertEquals(3, fast.rounds());
        GeneratorReader reader = new GeneratorReader(fast, clock::get);
        CollectingReaderOutput<Sample> out = new CollectingReaderOutput<>();
        reader.addSplits(List.of(new GeneratorSplit(0, 1, START, 0)));
        reader.notifyNoMoreSplits();
        InputStatus s;
        do {
            s = reader.pollNext(out);
        } while (s == InputStatus.MORE_AVAILABLE);
        assertEquals(InputStatus.END_OF_INPUT, s);
        assertEquals(3 * GeneratedSeries.SERIES_PER_TARGET, out.records.size());
        assertEquals(List.of("targets-0-1"), out.releasedSplitOutputs);
    }
}
