package io.flinkruler.source;

import io.flinkruler.openmetrics.OpenMetricsParser.TimestampUnit;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives the reader directly to check what a checkpoint stores and that a restore resumes there. */
class OpenMetricsFileReaderTest {
    @TempDir
    Path dir;

    @Test
    void aRestoredSplitResumesAfterTheLastEmittedLine() throws Exception {
        int lines = OpenMetricsFileReader.LINES_PER_BATCH * 2 + 10;
        StringBuilder sb = new StringBuilder("# TYPE m gauge\n");
        for (int i = 0; i < lines; i++) sb.append("m{i=\"").append(i).append("\"} ").append(i).append(' ').append(i).append('\n');
        Path file = dir.resolve("f.om");
        Files.writeString(file, sb);
        String path = file.toUri().toString();

        OpenMetricsFileReader first = new OpenMetricsFileReader(new TestReaderContext(), "t", TimestampUnit.SECONDS);
        CollectingReaderOutput<Sample> out1 = new CollectingReaderOutput<>();
        first.addSplits(List.of(OpenMetricsFileSplit.fromStart(path)));
        first.notifyNoMoreSplits();
        assertEquals(InputStatus.MORE_AVAILABLE, first.pollNext(out1));
        assertEquals(List.of(path), new ArrayList<>(out1.openSplitOutputs));
        List<OpenMetricsFileSplit> state = first.snapshotState(1);
        first.close();
        assertEquals(1, state.size());
        int emitted = out1.records.size();
        assertEquals(OpenMetricsFileReader.LINES_PER_BATCH - 1, emitted, "the TYPE line is one of the batch's lines");
        assertEquals(OpenMetricsFileReader.LINES_PER_BATCH, state.get(0).linesRead());
        assertTrue(state.get(0).offset() > 0);

        OpenMetricsFileReader restored = new OpenMetricsFileReader(new TestReaderContext(), "t", TimestampUnit.SECONDS);
        CollectingReaderOutput<Sample> out2 = new CollectingReaderOutput<>();
        restored.addSplits(state);
        restored.notifyNoMoreSplits();
        InputStatus status;
        do {
            status = restored.pollNext(out2);
        } while (status == InputStatus.MORE_AVAILABLE);
        assertEquals(InputStatus.END_OF_INPUT, status);
        assertEquals(List.of(path), out2.releasedSplitOutputs);
        assertEquals(lines - emitted, out2.records.size());
        assertEquals(String.valueOf(emitted), out2.records.get(0).labels().get("i"));
        assertEquals((long) emitted * 1000, out2.timestamps.get(0));
        assertEquals(String.valueOf(lines - 1), out2.records.get(out2.records.size() - 1).labels().get("i"));
    }

    @Test
    void waitsForSplitsThenEndsAfterNoMoreSplits() throws Exception {
        OpenMetricsFileReader reader = new OpenMetricsFileReader(new TestReaderContext(), "t", TimestampUnit.SECONDS);
        CollectingReaderOutput<Sample> out = new CollectingReaderOutput<>();
        assertEquals(InputStatus.NOTHING_AVAILABLE, reader.pollNext(out));
        assertTrue(!reader.isAvailable().isDone());
        reader.notifyNoMoreSplits();
        assertTrue(reader.isAvailable().isDone());
        assertEquals(InputStatus.END_OF_INPUT, reader.pollNext(out));
    }
}
