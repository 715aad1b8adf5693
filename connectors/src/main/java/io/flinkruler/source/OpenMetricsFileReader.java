package io.flinkruler.source;

import io.flinkruler.openmetrics.LineReader;
import io.flinkruler.openmetrics.OpenMetricsParser;
import io.flinkruler.openmetrics.OpenMetricsParser.LineKind;
import io.flinkruler.openmetrics.OpenMetricsParser.TimestampUnit;
import io.flinkruler.openmetrics.OpenMetricsSyntaxException;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Reads the files assigned to one subtask, a batch of lines per {@link #pollNext} and file after
 * file in turn, so that checkpoints and watermarks move on while big files are read. Reading happens
 * in the task thread: each batch blocks on at most one buffer fill per file.
 */
final class OpenMetricsFileReader extends MultiSplitReader<OpenMetricsFileSplit, OpenMetricsFileReader.FileInProgress> {
    private static final Logger LOG = LoggerFactory.getLogger(OpenMetricsFileReader.class);
    static final int LINES_PER_BATCH = 1024;
    static final int MAX_LINE_BYTES = 1 << 20;
    static final int LOGGED_BAD_LINES_PER_FILE = 20;

    private final String tenant;
    private final TimestampUnit timestampUnit;
    private final Counter badLines;
    private final Counter samplesRead;

    OpenMetricsFileReader(SourceReaderContext context, String tenant, TimestampUnit timestampUnit) {
        this.tenant = tenant;
        this.timestampUnit = timestampUnit;
        this.badLines = context.metricGroup().counter("openmetricsBadLines");
        this.samplesRead = context.metricGroup().counter("openmetricsSamplesRead");
    }

    @Override
    FileInProgress startReading(OpenMetricsFileSplit split) { return new FileInProgress(split); }

    /** A batch of the file at the head of the queue, which then goes to the back unless it is done. */
    @Override
    InputStatus pollSplits(ReaderOutput<Sample> output) throws IOException {
        ArrayDeque<FileInProgress> files = inProgress();
        FileInProgress file = files.peekFirst();
        if (file != null) {
            if (file.readBatch(LINES_PER_BATCH)) {
                file.close();
                finished(file, output);
            } else {
                files.addLast(files.pollFirst());
            }
        }
        return files.isEmpty() ? noSplitInProgress() : InputStatus.MORE_AVAILABLE;
    }

    @Override
    public void close() throws IOException {
        for (FileInProgress file : inProgress()) file.close();
        inProgress().clear();
    }

    /** One file: its stream (opened on first read), parser, position and per-split output. */
    final class FileInProgress extends SplitInProgress<OpenMetricsFileSplit> {
        final OpenMetricsParser parser = new OpenMetricsParser(timestampUnit);
        LineReader lines;
        long lineNumber;
        long badLinesInFile;

        FileInProgress(OpenMetricsFileSplit split) {
            super(split);
            this.lineNumber = split.linesRead();
        }

        @Override
        OpenMetricsFileSplit position() {
            return lines == null ? split : new OpenMetricsFileSplit(split.path(), lines.offset(), lineNumber);
        }

        /** Emits up to {@code maxLines} lines' samples; true when the file is done. */
        boolean readBatch(int maxLines) throws IOException {
            if (lines == null) open();
            for (int n = 0; n < maxLines; n++) {
                if (!lines.next()) {
                    finish();
                    return true;
                }
                lineNumber++;
                if (lines.lineTooLong()) {
                    badLine("line longer than " + MAX_LINE_BYTES + " bytes", 1);
                    continue;
                }
                try {
                    if (parser.parse(lines.buffer(), lines.lineStart(), lines.lineEnd()) != LineKind.SAMPLE) continue;
                } catch (OpenMetricsSyntaxException e) {
                    badLine(e.getMessage(), e.column());
                    continue;
                }
                if (!parser.hasTimestamp()) {
                    badLine("sample has no timestamp", 1);
                    continue;
                }
                long ts = parser.timestampMs();
                output.collect(new Sample(tenant, parser.labels(), ts, parser.value()), ts);
                samplesRead.inc();
            }
            return false;
        }

        private void open() throws IOException {
            Path path = new Path(split.path());
            FSDataInputStream in = path.getFileSystem().open(path);
            if (split.offset() > 0) in.seek(split.offset());
            lines = new LineReader(in, split.offset(), MAX_LINE_BYTES);
            LOG.info("Reading samples of tenant {} from {} at byte {}", tenant, split.path(), split.offset());
        }

        private void badLine(String message, int column) {
            badLines.inc();
            badLinesInFile++;
            if (badLinesInFile <= LOGGED_BAD_LINES_PER_FILE) {
                LOG.warn("Skipping bad line {}:{}:{}: {}", split.path(), lineNumber, column, message);
            }
        }

        private void finish() {
            if (badLinesInFile > LOGGED_BAD_LINES_PER_FILE) {
                LOG.warn("Skipped {} bad lines in {} (only the first {} were logged)",
                        badLinesInFile, split.path(), LOGGED_BAD_LINES_PER_FILE);
            }
            LOG.info("Finished {}: {} lines", split.path(), lineNumber);
        }

        void close() throws IOException {
            if (lines != null) lines.close();
        }
    }
}
