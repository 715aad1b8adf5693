package io.flinkruler.openmetrics;

import io.flinkruler.model.Labels;
import io.flinkruler.openmetrics.OpenMetricsParser.LineKind;
import io.flinkruler.openmetrics.OpenMetricsParser.TimestampUnit;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenMetricsParserTest {
    private final OpenMetricsParser om = new OpenMetricsParser(TimestampUnit.SECONDS);

    private OpenMetricsParser sample(String line) {
        assertEquals(LineKind.SAMPLE, om.parse(line), line);
        return om;
    }

    @Test
    void plainSampleWithLabelsAndSecondsTimestamp() {
        sample("http_requests_total{method=\"GET\",code=\"200\"} 1027 1700000000.5");
        assertEquals(Labels.of("__name__", "http_requests_total", "method", "GET", "code", "200"), om.labels());
        assertEquals(1027.0, om.value());
        assertTrue(om.hasTimestamp());
        assertEquals(1_700_000_000_500L, om.timestampMs());
    }

    @Test
    void sampleWithoutLabelsOrTimestamp() {
        sample("up 1");
        assertEquals(Labels.of("__name__", "up"), om.labels());
        assertFalse(om.hasTimestamp());
        sample("empty_braces{} 2 17");
        assertEquals(Labels.of("__name__", "empty_braces"), om.labels());
        assertEquals(17_000L, om.timestampMs());
    }

    @Test
    void secondsConvertLikePrometheusTruncatingTheFloatProduct() {
        // 1.001 * 1000 is 1000.9999999999999 in binary floating point; Prometheus truncates it to 1000.
        sample("m 1 1.001");
        assertEquals(1000L, om.timestampMs());
        sample("m 1 1700000000.123");
        assertEquals((long) (1700000000.123 * 1000), om.timestampMs());
        sample("m 1 1.7e9");
        assertEquals(1_700_000_000_000L, om.timestampMs());
    }

    @Test
    void millisecondTimestampsForThePrometheusTextFormat() {
        OpenMetricsParser prom = new OpenMetricsParser(TimestampUnit.MILLISECONDS);
        assertEquals(LineKind.SAMPLE, prom.parse("m{a=\"b\"} 3 1700000000123"));
        assertEquals(1_700_000_000_123L, prom.timestampMs());
        assertThrows(OpenMetricsSyntaxException.class, () -> prom.parse("m 3 1700000000.5"));
    }

    @Test
    void specialValues() {
        assertTrue(Double.isNaN(sample("m NaN 1").value()));
        assertEquals(Double.POSITIVE_INFINITY, sample("m +Inf 1").value());
        assertEquals(Double.NEGATIVE_INFINITY, sample("m -Inf 1").value());
        assertEquals(Double.POSITIVE_INFINITY, sample("m Inf 1").value());
        assertEquals(Double.POSITIVE_INFINITY, sample("m +infinity 1").value());
        assertTrue(Double.isNaN(sample("m nan 1").value()));
        assertThrows(OpenMetricsSyntaxException.class, () -> om.parse("m +NaN 1"));
        assertThrows(OpenMetricsSyntaxException.class, () -> om.parse("m Infinit 1"));
    }

    @Test
    void numberFormsParseToTheCorrectlyRoundedDouble() {
        String[] numbers = {"0", "-0", "1.5", ".5", "5.", "-2.25e-3", "1E3", "0.1", "0.3", "123456789012345678",
            "0.30000000000000004", "1.7976931348623157e308", "4.9e-324", "1e-400", "6.02214076e23",
            "9007199254740993", "0.000001234", "+7"};
        for (String n : numbers) {
            double expected = Double.parseDouble(n);
            double actual = sample("m " + n).value();
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), n);
        }
    }

    @Test
    void rejectsNumbersGoDoesNotRead() {
        for (String bad : new String[] {"1.0d", "0x1p3", "1e", "1.2.3", "-", ".", "1_000", "12a"}) {
            OpenMetricsSyntaxException e = assertThrows(OpenMetricsSyntaxException.class, () -> om.parse("m " + bad), bad);
            assertTrue(e.getMessage().startsWith("invalid value"), e.getMessage());
        }
    }

    @Test
    void labelValueEscapes() {
        sample("m{path=\"C:\\\\dir\",msg=\"say \\\"hi\\\"\\nbye\",odd=\"a\\tb\"} 1");
        assertEquals("C:\\dir", om.labels().get("path"));
        assertEquals("say \"hi\"\nbye", om.labels().get("msg"));
        // Unknown escapes stay as written, as in Prometheus.
        assertEquals("a\\tb", om.labels().get("odd"));
    }

    @Test
    void utf8LabelValuesAndQuotedNames() {
        sample("m{city=\"Zürich\",emoji=\"\uD83D\uDE00\"} 1");
        assertEquals("Zürich", om.labels().get("city"));
        assertEquals("\uD83D\uDE00", om.labels().get("emoji"));
        sample("{\"my.metric\", \"label.with.dots\"=\"v\"} 4");
        assertEquals("my.metric", om.labels().metricName());
        assertEquals("v", om.labels().get("label.with.dots"));
    }

    @Test
    void labelsComeOutSortedAndEmptyValuesAreDropped() {
        sample("m{zeta=\"1\",Alpha=\"2\",mid=\"\",beta=\"3\",} 1");
        Labels l = om.labels();
        assertEquals(4, l.size());
        assertEquals("Alpha", l.name(0));
        assertEquals("__name__", l.name(1));
        assertEquals("beta", l.name(2));
        assertEquals("zeta", l.name(3));
        assertFalse(l.has("mid"));
    }

    @Test
    void repeatedNamesAndValuesShareStrings() {
        sample("requests_total{job=\"api\"} 1 1");
        Labels first = om.labels();
        sample("requests_total{job=\"api\"} 2 2");
        assertSame(first.get("job"), om.labels().get("job"));
        assertSame(first.metricName(), om.labels().metricName());
    }

    @Test
    void metadataCommentsBlankLinesAndEof() {
        assertEquals(LineKind.SKIPPED, om.parse("# HELP http_requests_total The total number of requests."));
        assertEquals(LineKind.SKIPPED, om.parse("# TYPE http_requests_total counter"));
        assertEquals(LineKind.SKIPPED, om.parse("# UNIT temperature celsius"));
        assertEquals(LineKind.SKIPPED, om.parse("# just a comment"));
        assertEquals(LineKind.SKIPPED, om.parse(""));
        assertEquals(LineKind.SKIPPED, om.parse("   \t"));
        assertEquals(LineKind.EOF, om.parse("# EOF"));
        assertTrue(om.eofSeen());
        assertEquals(LineKind.SKIPPED, om.parse(""));
        OpenMetricsSyntaxException e = assertThrows(OpenMetricsSyntaxException.class, () -> om.parse("m 1 1"));
        assertTrue(e.getMessage().contains("after # EOF"));
        om.reset();
        assertEquals(LineKind.SAMPLE, om.parse("m 1 1"));
    }

    @Test
    void exemplarsAreIgnoredAndCrLfAndExtraBlanksAccepted() {
        sample("foo_bucket{le=\"0.5\"} 17 1520879607.789 # {trace_id=\"oHg5SJYRHA0\"} 9.8 1520879602.2");
        assertEquals(17.0, om.value());
        assertEquals(1_520_879_607_789L, om.timestampMs());
        assertEquals("0.5", om.labels().get("le"));
        sample("foo 3 # {a=\"b\"} 1");
        assertFalse(om.hasTimestamp());
        sample("foo\t{ a = \"b\" }   5   10 \r");
        assertEquals(5.0, om.value());
        assertEquals(10_000L, om.timestampMs());
    }

    @Test
    void counterNamesAreKeptAsWritten() {
        om.parse("# TYPE foo counter");
        sample("foo_total 1 1");
        assertEquals("foo_total", om.labels().metricName());
        sample("foo_created 1600000000 1");
        assertEquals("foo_created", om.labels().metricName());
    }

    @Test
    void errorsNameTheColumn() {
        assertError("m{a=\"b\" 1", "expected ',' or '}' after label value", 9);
        assertError("m{a=\"b} 1", "unterminated quoted string", 5);
        assertError("m{a=\"b\",a=\"c\"} 1", "duplicate label name \"a\"", 9);
        assertError("m{1a=\"b\"} 1", "expected a label name", 3);
        assertError("m{a\"b\"} 1", "expected '=' after label name", 4);
        assertError("m{a=b} 1", "expected '\"' to start the label value", 5);
        assertError("bad-name 1", "unexpected character '-' in metric name", 4);
        assertError("m", "expected a value", 2);
        assertError("m{a=\"b\"}1", "expected a space after '}'", 9);
        assertError("m 1 2 3", "unexpected text after the timestamp", 7);
        assertError("m 1 NaN", "invalid timestamp", 5);
        assertError("{a=\"b\"} 1", "missing metric name", 1);
        assertError("9m 1", "expected a metric name", 1);
    }

    private void assertError(String line, String message, int column) {
        OpenMetricsSyntaxException e = assertThrows(OpenMetricsSyntaxException.class, () -> om.parse(line), line);
        assertEquals(message, e.getMessage(), line);
        assertEquals(column, e.column(), line);
        assertEquals("f.om:7:" + column + ": " + message, e.describe("f.om", 7));
    }

    @Test
    void parsesASliceOfALargerBuffer() {
        byte[] buf = "xxm{a=\"b\"} 2 3\nyy".getBytes(StandardCharsets.UTF_8);
        assertEquals(LineKind.SAMPLE, om.parse(buf, 2, 14));
        assertEquals(Labels.of("__name__", "m", "a", "b"), om.labels());
        assertEquals(3000L, om.timestampMs());
    }

    @Test
    void staysUsableAfterAnError() {
        assertThrows(OpenMetricsSyntaxException.class, () -> om.parse("m{a=\"b\",a=\"c\"} 1"));
        sample("m{b=\"x\"} 1");
        assertEquals(Labels.of("__name__", "m", "b", "x"), om.labels());
    }
}
