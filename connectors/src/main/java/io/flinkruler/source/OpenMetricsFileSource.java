package io.flinkruler.source;

import io.flinkruler.openmetrics.OpenMetricsParser.TimestampUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Bounded source of the samples in OpenMetrics (or Prometheus text format) files: one file, or every
 * file of a folder (not recursive; names starting with '.' or '_' are skipped), one split per file,
 * read through Flink's {@link FileSystem} so any configured scheme works ({@code file://}, s3, ...).
 *
 * <p>Samples are emitted in file order with the sample's timestamp as record timestamp and the
 * configured tenant. Files need not be sorted by time: apply a bounded-out-of-orderness watermark
 * strategy. Each reader reads its files interleaved with a watermark output per file, so a file that
 * is behind in time holds the watermark back instead of turning into late data. Bad lines are logged
 * as {@code file:line:column: message}, counted in the {@code openmetricsBadLines} metric and skipped.
 * Samples without a timestamp are bad lines: a file has no other time to give them.
 */
public final class OpenMetricsFileSource
        implements Source<Sample, OpenMetricsFileSplit, List<OpenMetricsFileSplit>>, ResultTypeQueryable<Sample> {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String tenant;
    private final TimestampUnit timestampUnit;

    private OpenMetricsFileSource(String path, String tenant, TimestampUnit timestampUnit) {
        this.path = path;
        this.tenant = tenant;
        this.timestampUnit = timestampUnit;
    }

    /** Reads {@code path} (a file or a folder, any Flink file system URI) as OpenMetrics (timestamps in seconds). */
    public static OpenMetricsFileSource of(String path, String tenant) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("path is required");
        if (tenant == null || tenant.isEmpty()) throw new IllegalArgumentException("tenant is required");
        return new OpenMetricsFileSource(path, tenant, TimestampUnit.SECONDS);
    }

    /** Use {@link TimestampUnit#MILLISECONDS} for files in the older Prometheus text format. */
    public OpenMetricsFileSource withTimestampUnit(TimestampUnit unit) {
        return new OpenMetricsFileSource(path, tenant, unit);
    }

    public String path() { return path; }

    public String tenant() { return tenant; }

    public TimestampUnit timestampUnit() { return timestampUnit; }

    @Override
    public Boundedness getBoundedness() { return Boundedness.BOUNDED; }

    @Override
    public SplitEnumerator<OpenMetricsFileSplit, List<OpenMetricsFileSplit>> createEnumerator(
            SplitEnumeratorContext<OpenMetricsFileSplit> context) throws IOException {
        List<OpenMetricsFileSplit> splits = new ArrayList<>();
        for (String file : listFiles(path)) splits.add(OpenMetricsFileSplit.fromStart(file));
        return new StaticSplitEnumerator<>(context, splits);
    }

    @Override
    public SplitEnumerator<OpenMetricsFileSplit, List<OpenMetricsFileSplit>> restoreEnumerator(
            SplitEnumeratorContext<OpenMetricsFileSplit> context, List<OpenMetricsFileSplit> checkpoint) {
        return new StaticSplitEnumerator<>(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<OpenMetricsFileSplit> getSplitSerializer() {
        return OpenMetricsFileSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<OpenMetricsFileSplit>> getEnumeratorCheckpointSerializer() {
        return new SplitListSerializer<>(OpenMetricsFileSplitSerializer.INSTANCE);
    }

    @Override
    public SourceReader<Sample, OpenMetricsFileSplit> createReader(SourceReaderContext context) {
        return new OpenMetricsFileReader(context, tenant, timestampUnit);
    }

    @Override
    public TypeInformation<Sample> getProducedType() { return SampleTypeInfo.INSTANCE; }

    /** The files to read, sorted by path: {@code path} itself, or the visible files directly in it. */
    static List<String> listFiles(String path) throws IOException {
        Path root = new Path(path);
        FileSystem fs = root.getFileSystem();
        FileStatus status = fs.getFileStatus(root);
        if (!status.isDir()) return List.of(status.getPath().toString());
        FileStatus[] children = fs.listStatus(root);
        if (children == null) return List.of();
        return Arrays.stream(children)
                .filter(s -> !s.isDir())
                .filter(s -> !s.getPath().getName().startsWith(".") && !s.getPath().getName().startsWith("_"))
                .map(s -> s.getPath().toString())
                .sorted(Comparator.naturalOrder())
                .toList();
    }
}
