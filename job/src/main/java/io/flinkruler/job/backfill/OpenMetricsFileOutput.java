package io.flinkruler.job.backfill;

import io.flinkruler.remotewrite.WriteBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * A backfill's results as one OpenMetrics file for {@code promtool tsdb create-blocks-from openmetrics}, on any
 * Flink file system. The job writes part files (Flink's exactly-once {@link FileSink}) into {@code <file>.parts/};
 * afterwards {@link #assemble} concatenates them into {@code <file>} and ends it with {@code # EOF}.
 *
 * <p>promtool needs the samples of a series in time order. Each sink subtask receives its rule groups' results
 * in evaluation-timestamp order (the per-rule step fires its timers in order and forwards to the sink), a series
 * is recorded by one group, and part files only roll at checkpoints, numbered by a per-subtask counter that
 * survives restarts. So parts concatenated in counter order keep every series in time order, whichever subtask
 * wrote them (the names do not say which: {@code <prefix>-<writer uuid>-<counter><suffix>}).
 */
public final class OpenMetricsFileOutput {
    private static final String PREFIX = "part";
    private static final String SUFFIX = ".om";
    /** FileSink names parts {@code <prefix>-<writer uuid>-<counter><suffix>}; in-progress files start with '.'. */
    private static final Pattern PART = Pattern.compile("^" + PREFIX + "-(.*)-(\\d+)" + Pattern.quote(SUFFIX) + "$");

    private final Path file;

    public OpenMetricsFileOutput(String location) { this.file = new Path(location); }

    public Path partsDir() { return new Path(file.getParent(), file.getName() + ".parts"); }

    public Sink<WriteBatch> sink() {
        return FileSink.forRowFormat(partsDir(), new OpenMetricsEncoder())
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(PREFIX).withPartSuffix(SUFFIX).build())
                .build();
    }

    /** Removes parts of an earlier run (they would end up in this run's file). */
    public void prepare() throws IOException {
        FileSystem fs = partsDir().getFileSystem();
        if (fs.exists(partsDir())) fs.delete(partsDir(), true);
    }

    /** Concatenates the finished parts into the file, ends it with {@code # EOF} and deletes the parts; returns the bytes written. */
    public long assemble() throws IOException {
        FileSystem fs = partsDir().getFileSystem();
        List<Part> parts = new ArrayList<>();
        if (fs.exists(partsDir())) {
            for (FileStatus s : fs.listStatus(partsDir())) {
                Matcher m = PART.matcher(s.getPath().getName());
                if (!s.isDir() && m.matches()) parts.add(new Part(s.getPath(), m.group(1), Long.parseLong(m.group(2))));
            }
        }
        parts.sort(Comparator.comparingLong(Part::counter).thenComparing(Part::writer));
        long bytes = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
            for (Part p : parts) {
                try (InputStream in = fs.open(p.path())) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        out.write(buffer, 0, n);
                        bytes += n;
                    }
                }
            }
            byte[] eof = OpenMetricsLines.EOF.getBytes(StandardCharsets.UTF_8);
            out.write(eof);
            bytes += eof.length;
        }
        fs.delete(partsDir(), true);
        return bytes;
    }

    private record Part(Path path, String writer, long counter) {}
}
