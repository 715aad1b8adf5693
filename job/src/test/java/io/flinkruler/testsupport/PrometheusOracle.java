package io.flinkruler.testsupport;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Real Prometheus as the expected-value oracle of end-to-end tests: the test's input data, given as OpenMetrics
 * text, is turned into TSDB blocks with {@code promtool tsdb create-blocks-from openmetrics} and served by a
 * {@link PrometheusProcess} (retention 100y, so blocks from any past date stay queryable).
 *
 * <p>What promtool 2.42 needs from the text (checked on this machine):
 * <ul>
 *   <li>every sample line has a timestamp, in seconds (decimals allowed): a line without one is an error
 *       ("expected timestamp for series got none"). promtool truncates {@code seconds * 1000} to milliseconds, so
 *       write timestamps with {@link OpenMetricsText#timestamp(long)};</li>
 *   <li>the text ends with {@code # EOF} ("data does not end with # EOF" otherwise);</li>
 *   <li>the samples of one series must be in increasing time order; a sample older than an earlier one of the same
 *       series is DROPPED SILENTLY. Series may interleave (time-major order works), and families may repeat;</li>
 *   <li>{@code # TYPE}/{@code # HELP} are optional; a counter family {@code x} has samples named {@code x_total};</li>
 *   <li>there is no way to write a staleness marker: a series that stops just ends (the 5 m lookback applies).</li>
 * </ul>
 *
 * <p>Query semantics are Prometheus 2.42's (closed ranges and lookback): keep samples off range boundaries.
 */
public final class PrometheusOracle implements AutoCloseable {
    private final PrometheusProcess prometheus;

    private PrometheusOracle(PrometheusProcess prometheus) { this.prometheus = prometheus; }

    /** Writes {@code openMetricsText} to a file, creates blocks from it with promtool and starts Prometheus on them. */
    public static PrometheusOracle fromOpenMetrics(String openMetricsText) {
        Path dir = WorkDirs.create("oracle");
        Path input = dir.resolve("input.om");
        try {
            Files.writeString(input, openMetricsText);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + input, e);
        }
        Promtool.createBlocksFromOpenMetrics(input, dir.resolve("tsdb"));
        return new PrometheusOracle(PrometheusProcess.start(dir));
    }

    /** {@code /api/v1/query} at {@code tsMs}: the instant vector, labels including {@code __name__} where present. */
    public List<SeriesValue> evaluate(String promql, long tsMs) { return prometheus.queryInstant(promql, tsMs); }

    /**
     * What Prometheus's rule manager writes for the recording rule {@code record: expr} with {@code labels} (as in
     * the rule file: an empty value removes the label),
     * evaluated at each of {@code timestamps} (ascending), sorted by series then time:
     * <ul>
     *   <li>each result series gets {@code __name__ = record}, then every rule label is set (overriding; an empty
     *       value removes the label); a scalar result is one series without labels;</li>
     *   <li>if two results end up with the same labels, that evaluation fails and writes nothing (Prometheus:
     *       "vector contains metrics with the same labelset after applying rule labels"), and the set of series
     *       written last time stays as it was;</li>
     *   <li>a series written at the previous successful evaluation but absent now gets a staleness marker
     *       ({@link StaleMarker#VALUE}) at this evaluation's timestamp.</li>
     * </ul>
     * Prometheus hides staleness markers from queries: compare the others with what a receiving Prometheus returns.
     */
    public List<LabeledSample> recordingRuleOutput(String record, Map<String, String> labels, String expr, List<Long> timestamps) {
        List<LabeledSample> out = new ArrayList<>();
        Set<Labels> previous = new HashSet<>();
        long last = Long.MIN_VALUE;
        for (long t : timestamps) {
            if (t <= last) throw new IllegalArgumentException("timestamps must ascend: " + t + " after " + last);
            last = t;
            List<LabeledSample> now = new ArrayList<>();
            Set<Labels> written = new HashSet<>();
            boolean failed = false;
            for (SeriesValue v : evaluate(expr, t)) {
                Labels l = v.labels().with(Labels.METRIC_NAME, record);
                for (Map.Entry<String, String> rl : labels.entrySet()) l = l.with(rl.getKey(), rl.getValue());
                if (!written.add(l)) {
                    failed = true;
                    break;
                }
                now.add(new LabeledSample(l, t, v.value()));
            }
            if (failed) continue;
            out.addAll(now);
            for (Labels gone : previous) if (!written.contains(gone)) out.add(new LabeledSample(gone, t, StaleMarker.VALUE));
            previous = written;
        }
        out.sort((a, b) -> {
            int c = a.labels().compareTo(b.labels());
            return c != 0 ? c : Long.compare(a.timestampMs(), b.timestampMs());
        });
        return out;
    }

    /** {@code samples} without staleness markers, grouped by series (as {@link PrometheusProcess#seriesSamples} returns them). */
    public static TreeMap<Labels, List<Sample>> withoutStaleMarkers(List<LabeledSample> samples) {
        TreeMap<Labels, List<Sample>> out = new TreeMap<>();
        for (LabeledSample s : samples) {
            if (s.isStaleMarker()) continue;
            out.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(new Sample(s.timestampMs(), s.value()));
        }
        return out;
    }

    /** The Prometheus serving the blocks, e.g. for range queries. */
    public PrometheusProcess prometheus() { return prometheus; }

    @Override
    public void close() { prometheus.close(); }

    @Override
    public String toString() { return "oracle " + prometheus; }
}
