package io.flinkruler.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A reader output for driving a SourceReader directly: keeps records, watermarks and split outputs. */
public final class CollectingReaderOutput<T> implements ReaderOutput<T> {
    public final List<T> records = new ArrayList<>();
    public final List<Long> timestamps = new ArrayList<>();
    public final List<Long> watermarks = new ArrayList<>();
    /** How often the output was marked idle. */
    public int idleMarks;
    public final Set<String> openSplitOutputs = new LinkedHashSet<>();
    public final List<String> releasedSplitOutputs = new ArrayList<>();

    @Override
    public void collect(T record) { collect(record, Long.MIN_VALUE); }

    @Override
    public void collect(T record, long timestamp) {
        records.add(record);
        timestamps.add(timestamp);
    }

    @Override
    public void emitWatermark(Watermark watermark) { watermarks.add(watermark.getTimestamp()); }

    @Override
    public void markIdle() { idleMarks++; }

    @Override
    public void markActive() {}

    @Override
    public SourceOutput<T> createOutputForSplit(String splitId) {
        openSplitOutputs.add(splitId);
        return this;
    }

    @Override
    public void releaseOutputForSplit(String splitId) {
        openSplitOutputs.remove(splitId);
        releasedSplitOutputs.add(splitId);
    }
}
