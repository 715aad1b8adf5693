package io.flinkruler.openmetrics;

import io.flinkruler.model.Labels;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Line-at-a-time parser of the text exposition formats, as {@code promtool tsdb create-blocks-from
 * openmetrics} reads them: {@code name{label="value",...} value [timestamp] [# exemplar]}.
 *
 * <p>Timestamps: OpenMetrics writes them in (possibly fractional) <b>seconds</b>, the older Prometheus
 * text format (0.0.4) in integer <b>milliseconds</b>; {@link TimestampUnit} picks one. Seconds convert
 * as Prometheus does ({@code int64(seconds * 1000)}, i.e. truncation of the float product) so that a
 * file gives the same sample times here as after a promtool backfill.
 *
 * <p>Leniency (both formats in one parser): {@code # HELP}, {@code # TYPE}, {@code # UNIT} and other
 * comments are skipped, blank lines are skipped, spaces and tabs may repeat, a trailing comma in the
 * label set is accepted, {@code \r\n} endings are accepted. Metric and label names may be quoted
 * inside the braces (Prometheus 3's UTF-8 names: {@code {"my.metric", "a.b"="c"}}). Label value
 * escapes are {@code \\}, {@code \"} and {@code \n}; another backslash pair is kept as written, as
 * Prometheus does. Values accept {@code NaN}, {@code +Inf}, {@code -Inf} (case-insensitive, Go's
 * {@code ParseFloat} spellings), but no hex floats. Sample names are kept as written (counters in
 * OpenMetrics carry {@code _total}; {@code _created} lines are ordinary samples). Anything after
 * {@code # EOF} is an error. Empty label values are dropped (Prometheus treats them as absent).
 *
 * <p>Not thread-safe; one instance per input. The parser keeps its scratch buffers between lines
 * and caches repeated names and values, so a sample line costs about one {@link Labels} and its arrays.
 */
public final class OpenMetricsParser {

    /** Unit of the optional timestamp after the value. */
    public enum TimestampUnit {
        /** OpenMetrics 1.0: float seconds. */
        SECONDS,
        /** Prometheus text format 0.0.4: integer milliseconds. */
        MILLISECONDS
    }

    /** What a line was. */
    public enum LineKind {
        /** A sample: read it with {@link #labels()}, {@link #value()}, {@link #timestampMs()}. */
        SAMPLE,
        /** A comment, HELP/TYPE/UNIT metadata or a blank line: nothing to emit. */
        SKIPPED,
        /** The {@code # EOF} marker. */
        EOF
    }

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    private static final long MAX_EXACT_MANTISSA = 1L << 53;

    private final TimestampUnit timestampUnit;
    private final ByteStringCache strings = new ByteStringCache(4096);

    private String[] names = new String[16];
    private String[] values = new String[16];
    private int labelCount;
    private byte[] unescaped = new byte[256];
    private boolean eofSeen;

    private byte[] line;
    private int pos;
    private int end;
    private int lineStart;

    private Labels labels;
    private double value;
    private boolean hasTimestamp;
    private long timestampMs;

    public OpenMetricsParser(TimestampUnit timestampUnit) {
        this.timestampUnit = timestampUnit;
    }

    /** For a new input: forgets that {@code # EOF} was seen. */
    public void reset() {
        eofSeen = false;
    }

    public boolean eofSeen() { return eofSeen; }

    /** Parses one line given as a String (tests, small inputs). */
    public LineKind parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    /**
     * Parses the UTF-8 line {@code buf[from, to)} (without its line feed).
     *
     * @throws OpenMetricsSyntaxException when the line is invalid; the parser stays usable.
     */
    public LineKind parse(byte[] buf, int from, int to) {
        line = buf;
        lineStart = from;
        pos = from;
        end = to;
        if (end > pos && line[end - 1] == '\r') end--;
        while (end > pos && isBlank(line[end - 1])) end--;
        skipBlanks();
        if (pos == end) return LineKind.SKIPPED;
        if (eofSeen) throw error("unexpected content after # EOF");
        if (line[pos] == '#') return parseComment();
        parseSample();
        return LineKind.SAMPLE;
    }

    /** The sample's labels, {@code __name__} included. */
    public Labels labels() { return labels; }

    public double value() { return value; }

    public boolean hasTimestamp() { return hasTimestamp; }

    /** The sample's timestamp in milliseconds; meaningful only when {@link #hasTimestamp()}. */
    public long timestampMs() { return timestampMs; }

    private LineKind parseComment() {
        pos++;
        int textStart = pos;
        skipBlanks();
        if (pos > textStart && end - pos == 3 && line[pos] == 'E' && line[pos + 1] == 'O' && line[pos + 2] == 'F') {
            eofSeen = true;
            return LineKind.EOF;
        }
        return LineKind.SKIPPED;
    }

    private void parseSample() {
        labelCount = 0;
        String metricName = null;
        if (line[pos] != '{') {
            int nameStart = pos;
            if (!isMetricNameStart(line[pos])) throw error("expected a metric name");
            pos++;
            while (pos < end && isMetricNameChar(line[pos])) pos++;
            metricName = strings.get(line, nameStart, pos, true);
        }
        int afterName = pos;
        skipBlanks();
        boolean hasLabelSet = pos < end && line[pos] == '{';
        if (hasLabelSet) {
            metricName = parseLabelSet(metricName);
            afterName = pos;
            skipBlanks();
        }
        if (metricName == null) throw error("missing metric name", lineStart);
        addLabel(Labels.METRIC_NAME, metricName, lineStart);
        if (pos == end) throw error("expected a value");
        if (pos == afterName) {
            throw error(hasLabelSet ? "expected a space after '}'"
                    : "unexpected character '" + printable(line[pos]) + "' in metric name");
        }
        int valueStart = pos;
        skipToken();
        if (valueStart == pos) throw error("expected a value");
        value = parseFloat(valueStart, pos, "value");
        skipBlanks();
        hasTimestamp = false;
        if (pos < end && line[pos] != '#') {
            int tsStart = pos;
            skipToken();
            timestampMs = parseTimestamp(tsStart, pos);
            hasTimestamp = true;
            skipBlanks();
        }
        if (pos < end && line[pos] != '#') throw error("unexpected text after the timestamp");
        // What follows '#' is an exemplar; it is not a sample of its own, so it is ignored.
        labels = buildLabels();
    }

    /** Parses {@code {...}}; returns the metric name, which may be given quoted inside the braces. */
    private String parseLabelSet(String metricName) {
        pos++;
        while (true) {
            skipBlanks();
            if (pos == end) throw error("unterminated label set: expected '}'");
            if (line[pos] == '}') {
                pos++;
                return metricName;
            }
            int nameStart = pos;
            String name;
            boolean quoted = line[pos] == '"';
            if (quoted) {
                name = parseQuoted();
            } else {
                if (!isLabelNameStart(line[pos])) throw error("expected a label name");
                pos++;
                while (pos < end && isLabelNameChar(line[pos])) pos++;
                name = strings.get(line, nameStart, pos, true);
            }
            skipBlanks();
            if (quoted && pos < end && (line[pos] == ',' || line[pos] == '}')) {
                if (metricName != null) throw error("metric name given twice", nameStart);
                metricName = name;
            } else {
                if (pos == end || line[pos] != '=') throw error("expected '=' after label name");
                pos++;
                skipBlanks();
                if (pos == end || line[pos] != '"') throw error("expected '\"' to start the label value");
                addLabel(name, parseQuoted(), nameStart);
                skipBlanks();
            }
            if (pos == end) throw error("unterminated label set: expected '}'");
            if (line[pos] == ',') {
                pos++;
            } else if (line[pos] != '}') {
                throw error("expected ',' or '}' after label value");
            }
        }
    }

    /** Reads {@code "..."} at {@code pos}, resolving escapes. */
    private String parseQuoted() {
        int quote = pos;
        pos++;
        int start = pos;
        boolean ascii = true;
        boolean escaped = false;
        while (pos < end && line[pos] != '"') {
            byte c = line[pos];
            if (c < 0) ascii = false;
            if (c == '\\') {
                escaped = true;
                pos++;
                if (pos == end) break;
                if (line[pos] < 0) ascii = false;
            }
            pos++;
        }
        if (pos >= end) throw error("unterminated quoted string", quote);
        int stop = pos;
        pos++;
        if (!escaped) return strings.get(line, start, stop, ascii);
        return unescape(start, stop, ascii);
    }

    private String unescape(int start, int stop, boolean ascii) {
        if (unescaped.length < stop - start) unescaped = new byte[Math.max(stop - start, unescaped.length * 2)];
        int n = 0;
        for (int i = start; i < stop; i++) {
            byte c = line[i];
            if (c == '\\' && i + 1 < stop) {
                byte next = line[i + 1];
                if (next == '\\' || next == '"') {
                    c = next;
                    i++;
                } else if (next == 'n') {
                    c = '\n';
                    i++;
                }
            }
            unescaped[n++] = c;
        }
        return ByteStringCache.decode(unescaped, 0, n, ascii);
    }

    private void addLabel(String name, String labelValue, int at) {
        if (labelCount == names.length) {
            names = Arrays.copyOf(names, labelCount * 2);
            values = Arrays.copyOf(values, labelCount * 2);
        }
        // Insertion keeps names sorted: label sets are short, and usually already written sorted.
        int i = labelCount;
        while (i > 0) {
            int c = names[i - 1].compareTo(name);
            if (c == 0) throw error("duplicate label name \"" + name + "\"", at);
            if (c < 0) break;
            names[i] = names[i - 1];
            values[i] = values[i - 1];
            i--;
        }
        names[i] = name;
        values[i] = labelValue;
        labelCount++;
    }

    private Labels buildLabels() {
        int nonEmpty = 0;
        for (int i = 0; i < labelCount; i++) if (!values[i].isEmpty()) nonEmpty++;
        String[] n = new String[nonEmpty];
        String[] v = new String[nonEmpty];
        for (int i = 0, j = 0; i < labelCount; i++) {
            if (values[i].isEmpty()) continue;
            n[j] = names[i];
            v[j++] = values[i];
        }
        return Labels.ofSorted(n, v);
    }

    private long parseTimestamp(int from, int to) {
        if (timestampUnit == TimestampUnit.MILLISECONDS) return parseLong(from, to);
        double seconds = parseFloat(from, to, "timestamp");
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) throw error("invalid timestamp", from);
        return (long) (seconds * 1000);
    }

    private long parseLong(int from, int to) {
        int i = from;
        boolean negative = false;
        if (line[i] == '-' || line[i] == '+') {
            negative = line[i] == '-';
            i++;
        }
        if (i == to) throw error("invalid timestamp", from);
        long result = 0;
        for (; i < to; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) throw error("invalid timestamp: expected integer milliseconds", from);
            if (result > (Long.MAX_VALUE - d) / 10) throw error("timestamp out of range", from);
            result = result * 10 + d;
        }
        return negative ? -result : result;
    }

    /**
     * Decimal floats as Go's ParseFloat reads them (minus hex forms). Short decimals take the exact
     * fast path (mantissa below 2^53 and a power of ten up to 1e22 are both exact doubles, so one
     * multiplication or division rounds correctly); the rest go to {@link Double#parseDouble}.
     */
    double parseFloat(int from, int to, String what) {
        int i = from;
        boolean negative = false;
        if (line[i] == '-' || line[i] == '+') {
            negative = line[i] == '-';
            i++;
        }
        if (i < to && !isDigit(line[i]) && line[i] != '.') {
            double special = parseSpecial(i, to, what);
            if (Double.isNaN(special)) {
                if (i != from) throw invalidNumber(what, from);
                return special;
            }
            return negative ? -special : special;
        }
        long mantissa = 0;
        int significantDigits = 0;
        int droppedIntegerDigits = 0;
        int fractionDigits = 0;
        boolean digits = false;
        for (; i < to && isDigit(line[i]); i++) {
            digits = true;
            if (significantDigits < 18) {
                mantissa = mantissa * 10 + (line[i] - '0');
                if (mantissa != 0) significantDigits++;
            } else {
                droppedIntegerDigits++;
            }
        }
        boolean exact = droppedIntegerDigits == 0;
        if (i < to && line[i] == '.') {
            i++;
            for (; i < to && isDigit(line[i]); i++) {
                digits = true;
                if (significantDigits < 18) {
                    mantissa = mantissa * 10 + (line[i] - '0');
                    if (mantissa != 0) significantDigits++;
                    fractionDigits++;
                } else if (line[i] != '0') {
                    exact = false;
                }
            }
        }
        if (!digits) throw invalidNumber(what, from);
        int exponent = 0;
        if (i < to && (line[i] == 'e' || line[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (line[i] == '-' || line[i] == '+')) {
                negativeExponent = line[i] == '-';
                i++;
            }
            if (i == to) throw invalidNumber(what, from);
            for (; i < to; i++) {
                if (!isDigit(line[i])) throw invalidNumber(what, from);
                if (exponent < 100_000) exponent = exponent * 10 + (line[i] - '0');
            }
            if (negativeExponent) exponent = -exponent;
        }
        if (i != to) throw invalidNumber(what, from);
        int powerOfTen = exponent - fractionDigits + droppedIntegerDigits;
        if (exact && mantissa <= MAX_EXACT_MANTISSA && Math.abs(powerOfTen) <= 22) {
            double d = mantissa;
            d = powerOfTen >= 0 ? d * POWERS_OF_TEN[powerOfTen] : d / POWERS_OF_TEN[-powerOfTen];
            return negative ? -d : d;
        }
        // The characters were validated above, so Java's extra syntax (suffixes, hex) cannot slip in.
        return Double.parseDouble(new String(line, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /** Inf, Infinity or NaN (any case); returns NaN for NaN and +Inf for the infinities. */
    private double parseSpecial(int from, int to, String what) {
        if (equalsIgnoreCase(from, to, "inf") || equalsIgnoreCase(from, to, "infinity")) return Double.POSITIVE_INFINITY;
        if (equalsIgnoreCase(from, to, "nan")) return Double.NaN;
        throw invalidNumber(what, from);
    }

    private boolean equalsIgnoreCase(int from, int to, String word) {
        if (to - from != word.length()) return false;
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) line[from + k]) != word.charAt(k)) return false;
        }
        return true;
    }

    private OpenMetricsSyntaxException invalidNumber(String what, int from) {
        int to = from;
        while (to < end && !isBlank(line[to])) to++;
        String text = new String(line, from, Math.min(to - from, 40), StandardCharsets.UTF_8);
        return error("invalid " + what + " \"" + text + "\"", from);
    }

    private void skipBlanks() {
        while (pos < end && isBlank(line[pos])) pos++;
    }

    private void skipToken() {
        while (pos < end && !isBlank(line[pos])) pos++;
    }

    private OpenMetricsSyntaxException error(String message) {
        return new OpenMetricsSyntaxException(message, pos - lineStart + 1);
    }

    /** An error at the absolute buffer index {@code at}. */
    private OpenMetricsSyntaxException error(String message, int at) {
        return new OpenMetricsSyntaxException(message, at - lineStart + 1);
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }

    private static boolean isBlank(byte b) { return b == ' ' || b == '\t'; }

    private static boolean isDigit(byte b) { return b >= '0' && b <= '9'; }

    private static boolean isLabelNameStart(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_';
    }

    private static boolean isLabelNameChar(byte b) { return isLabelNameStart(b) || isDigit(b); }

    private static boolean isMetricNameStart(byte b) { return isLabelNameStart(b) || b == ':'; }

    private static boolean isMetricNameChar(byte b) { return isLabelNameChar(b) || b == ':'; }
}
