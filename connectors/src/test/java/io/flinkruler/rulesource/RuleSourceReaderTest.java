package io.flinkruler.rulesource;

import io.flinkruler.source.CollectingReaderOutput;
import io.flinkruler.source.TestReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives the reader directly: what it emits, when it emits the watermark, what it checkpoints. */
class RuleSourceReaderTest {
    @TempDir
    Path root;

    private final AtomicLong clock = new AtomicLong(1_000_000L);

    private static final String ONE_GROUP = "groups:\n  - name: g\n    rules: []\n";

    /** Polls until the reader reports something other than "nothing yet" (waiting on its future). */
    private static InputStatus poll(RuleSourceReader reader, CollectingReaderOutput<RuleGroupChange> out) throws Exception {
        for (int i = 0; i < 100; i++) {
            InputStatus s = reader.pollNext(out);
            if (s != InputStatus.NOTHING_AVAILABLE) return s;
            reader.isAvailable().get(10, TimeUnit.SECONDS);
        }
        throw new AssertionError("reader never made progress");
    }

    private void write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void onceLoadsEmitsTheMaximumWatermarkAndEnds() throws Exception {
        write("t1/a.yaml", ONE_GROUP);
        write("t2/b.yaml", ONE_GROUP);
        RuleSourceReader reader = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(root.toString()), null, clock::get);
        CollectingReaderOutput<RuleGroupChange> out = new CollectingReaderOutput<>();
        reader.addSplits(List.of(RuleSourceSplit.initial()));
        reader.notifyNoMoreSplits();
        assertEquals(InputStatus.END_OF_INPUT, poll(reader, out));
        assertEquals(List.of("ADDED t1/a/g", "ADDED t2/b/g"), out.records.stream().map(Object::toString).toList());
        assertEquals(List.of(Long.MAX_VALUE), out.watermarks);
        assertEquals(List.of(Long.MIN_VALUE, Long.MIN_VALUE), out.timestamps, "rule changes carry no event time");
        assertEquals(2, reader.snapshotState(1).get(0).emitted().size());
        reader.close();
    }

    @Test
    void continuousMarksItselfIdleOnlyAfterACompleteLoadAndNeverEmitsAWatermark() throws Exception {
        String missingRoot = root.resolve("rules").toString();
        RuleSourceReader reader = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(missingRoot), Duration.ofMillis(1), clock::get);
        CollectingReaderOutput<RuleGroupChange> out = new CollectingReaderOutput<>();
        reader.addSplits(List.of(RuleSourceSplit.initial()));
        reader.notifyNoMoreSplits();

        assertEquals(InputStatus.MORE_AVAILABLE, poll(reader, out));
        assertEquals(0, out.idleMarks, "storage not listable yet: event time stays held back");

        write("rules/t/a.yaml", ONE_GROUP);
        clock.addAndGet(10);
        assertEquals(InputStatus.MORE_AVAILABLE, poll(reader, out));
        assertEquals(List.of("ADDED t/a/g"), out.records.stream().map(Object::toString).toList());
        assertEquals(1, out.idleMarks);

        write("rules/t/a.yaml", "groups:\n  - name: g\n    interval: 5m\n    rules: []\n");
        clock.addAndGet(10);
        assertEquals(InputStatus.MORE_AVAILABLE, poll(reader, out));
        assertEquals(List.of("ADDED t/a/g", "CHANGED t/a/g"), out.records.stream().map(Object::toString).toList());
        assertEquals(2, out.idleMarks, "idle again after emitting the change");
        assertEquals(List.of(), out.watermarks,
                "no maximum watermark: with every sample input idle it would become the evaluation clock");
        reader.close();
    }

    @Test
    void waitsForThePollInterval() throws Exception {
        write("t/a.yaml", ONE_GROUP);
        RuleSourceReader reader = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(root.toString()), Duration.ofHours(1), clock::get);
        CollectingReaderOutput<RuleGroupChange> out = new CollectingReaderOutput<>();
        reader.addSplits(List.of(RuleSourceSplit.initial()));
        assertEquals(InputStatus.MORE_AVAILABLE, poll(reader, out));
        assertEquals(InputStatus.NOTHING_AVAILABLE, reader.pollNext(out));
        assertTrue(!reader.isAvailable().isDone(), "the next scan is an hour away");
        reader.close();
    }

    @Test
    void aRestoredReaderDoesNotEmitAgain() throws Exception {
        write("t/a.yaml", ONE_GROUP);
        RuleSourceReader first = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(root.toString()), null, clock::get);
        first.addSplits(List.of(RuleSourceSplit.initial()));
        first.notifyNoMoreSplits();
        poll(first, new CollectingReaderOutput<>());
        byte[] checkpoint = RuleSourceSplitSerializer.INSTANCE.serialize(first.snapshotState(7).get(0));
        first.close();

        RuleSourceReader restored = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(root.toString()), null, clock::get);
        CollectingReaderOutput<RuleGroupChange> out = new CollectingReaderOutput<>();
        restored.addSplits(List.of(RuleSourceSplitSerializer.INSTANCE.deserialize(1, checkpoint)));
        restored.notifyNoMoreSplits();
        assertEquals(InputStatus.END_OF_INPUT, poll(restored, out));
        assertEquals(List.of(), out.records);
        assertEquals(List.of(Long.MAX_VALUE), out.watermarks, "a restored job needs the watermark again");
        restored.close();
    }

    @Test
    void onceFailsWhenStorageCannotBeListed() {
        RuleSourceReader reader = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(root.resolve("missing").toString()),
                null, new ScanRetry(1, 2, 3), clock::get);
        reader.addSplits(List.of(RuleSourceSplit.initial()));
        IOException e = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 3; i++) {
                clock.set(reader.nextScanAtMs());
                poll(reader, new CollectingReaderOutput<>());
            }
        });
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        reader.close();
    }

    @Test
    void aReaderWithoutTheSplitEnds() throws Exception {
        RuleSourceReader reader = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(root.toString()), Duration.ofSeconds(1), clock::get);
        CollectingReaderOutput<RuleGroupChange> out = new CollectingReaderOutput<>();
        assertEquals(InputStatus.NOTHING_AVAILABLE, reader.pollNext(out));
        reader.notifyNoMoreSplits();
        assertTrue(reader.isAvailable().isDone());
        assertEquals(InputStatus.END_OF_INPUT, reader.pollNext(out));
        reader.close();
    }

    @Test
    void theFirstLoadAppliesFromTheBeginningLaterChangesFromTheScanThatSawThem() throws Exception {
        write("t/a.yaml", ONE_GROUP);
        RuleSourceReader reader = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(root.toString()), Duration.ofMillis(1), clock::get);
        CollectingReaderOutput<RuleGroupChange> out = new CollectingReaderOutput<>();
        reader.addSplits(List.of(RuleSourceSplit.initial()));
        poll(reader, out);
        write("t/b.yaml", ONE_GROUP);
        clock.addAndGet(10);
        poll(reader, out);
        assertEquals(List.of("ADDED t/a/g", "ADDED t/b/g"), out.records.stream().map(Object::toString).toList());
        assertEquals(Long.MIN_VALUE, out.records.get(0).seenAtMs());
        assertEquals(clock.get(), out.records.get(1).seenAtMs());
        reader.close();
    }

    @Test
    void aRestoredReaderSeesChangesAtTheirScan() throws Exception {
        write("t/a.yaml", ONE_GROUP);
        RuleSourceReader reader = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(root.toString()), null, clock::get);
        reader.addSplits(List.of(new RuleSourceSplit(java.util.Map.of("t/old/g", new EmittedGroup(1L, "x")))));
        reader.notifyNoMoreSplits();
        CollectingReaderOutput<RuleGroupChange> out = new CollectingReaderOutput<>();
        poll(reader, out);
        assertEquals(List.of("ADDED t/a/g", "DELETED t/old/g"), out.records.stream().map(Object::toString).toList());
        for (RuleGroupChange c : out.records) assertEquals(clock.get(), c.seenAtMs(), "not a first load: rules were known");
        reader.close();
    }

    @Test
    void failedScansAreRetriedWithBackoffAndKeepEverything() throws Exception {
        write("rules/t/a.yaml", ONE_GROUP);
        RuleSourceReader reader = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(root.resolve("rules").toString()),
                Duration.ofMillis(50), new ScanRetry(5, 20, 3), clock::get);
        CollectingReaderOutput<RuleGroupChange> out = new CollectingReaderOutput<>();
        reader.addSplits(List.of(RuleSourceSplit.initial()));
        poll(reader, out);
        assertEquals(1, out.records.size());
        Files.move(root.resolve("rules"), root.resolve("gone"));
        long[] delays = new long[4];
        for (int i = 0; i < delays.length; i++) {
            clock.set(reader.nextScanAtMs());
            long before = clock.get();
            assertEquals(InputStatus.MORE_AVAILABLE, poll(reader, out));
            delays[i] = reader.nextScanAtMs() - before;
        }
        assertEquals(List.of(5L, 10L, 20L, 20L), java.util.Arrays.stream(delays).boxed().toList(), "doubling up to the maximum");
        assertEquals(1, out.records.size(), "a storage that cannot be listed deletes nothing");
        assertEquals(1, reader.snapshotState(2).get(0).emitted().size());
        Files.move(root.resolve("gone"), root.resolve("rules"));
        clock.set(reader.nextScanAtMs());
        poll(reader, out);
        assertEquals(50, reader.nextScanAtMs() - clock.get(), "back to the poll interval");
        assertEquals(1, out.records.size(), "and nothing changed");
        reader.close();
    }

    @Test
    void onceRetriesBeforeItGivesUp() throws Exception {
        RuleSourceReader reader = new RuleSourceReader(new TestReaderContext(), RuleStorageLocation.of(root.resolve("late").toString()),
                null, new ScanRetry(1, 1, 3), clock::get);
        reader.addSplits(List.of(RuleSourceSplit.initial()));
        reader.notifyNoMoreSplits();
        CollectingReaderOutput<RuleGroupChange> out = new CollectingReaderOutput<>();
        assertEquals(InputStatus.MORE_AVAILABLE, poll(reader, out));
        write("late/t/a.yaml", ONE_GROUP);   // appears before the second attempt
        clock.set(reader.nextScanAtMs());
        assertEquals(InputStatus.END_OF_INPUT, poll(reader, out));
        assertEquals(List.of("ADDED t/a/g"), out.records.stream().map(Object::toString).toList());
        reader.close();
    }
}
