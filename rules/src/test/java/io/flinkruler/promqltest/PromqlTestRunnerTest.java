package io.flinkruler.promqltest;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.promql.ast.AggregateExpr;
import io.flinkruler.promql.ast.AggregateOp;
import io.flinkruler.promql.ast.Call;
import io.flinkruler.promql.ast.Expr;
import io.flinkruler.promql.ast.FunctionSignature;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.ast.MatrixSelector;
import io.flinkruler.promql.ast.PosRange;
import io.flinkruler.promql.ast.ValueType;
import io.flinkruler.promql.ast.VectorSelector;
import io.flinkruler.promql.parser.PromqlParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromqlTestRunnerTest {
    private static final PosRange P = PosRange.NONE;

    private static VectorSelector sel(String name) {
        return new VectorSelector(name, List.of(new LabelMatcher(LabelMatcher.Type.EQ, Labels.METRIC_NAME, name)), 0, null, P);
    }

    /** A stand-in for the parser: the few queries the script below uses, built by hand. */
    private static final Map<String, Expr> QUERIES = Map.of(
            "http_requests_total", sel("http_requests_total"),
            "sum(http_requests_total)", new AggregateExpr(AggregateOp.SUM, sel("http_requests_total"), null, List.of(), false, P),
            "rate(http_requests_total[5m])", new Call(new FunctionSignature("rate", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
                    List.of(new MatrixSelector(sel("http_requests_total"), 300_000, P)), P),
            "hist", sel("hist"));

    private static Expr parse(String q) throws PromqlParseException {
        Expr e = QUERIES.get(q);
        if (e == null) throw new PromqlParseException("unknown query in test", P, 1, 1);
        return e;
    }

    @Test
    void runsScriptThroughShardsAndReportsCounts(@TempDir Path dir) throws Exception {
        String script = """
                load 1m
                  http_requests_total{job="a"} 0+10x10
                  http_requests_total{job="b"} 0+20x4 stale
                  hist {{schema:0 sum:1 count:1}}

                # instant, both series
                eval instant at 2m http_requests_total
                  http_requests_total{job="a"} 20
                  http_requests_total{job="b"} 40

                # staleness hides b after 5m
                eval instant at 6m sum(http_requests_total)
                  {} 60

                eval range from 0 to 3m step 1m sum(http_requests_total)
                  {} 0 30 60 90

                eval instant at 10m rate(http_requests_total[5m])
                  expect no_info
                  {job="a"} 0.16666666666666666

                # deliberately wrong expectation
                eval instant at 2m http_requests_total
                  http_requests_total{job="a"} 21
                  http_requests_total{job="b"} 40

                eval instant at 1m hist
                  {} 1
                """;
        Path f = dir.resolve("t.test");
        Files.writeString(f, script);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = PromqlTestRunner.run(List.of(f), new PrintStream(bytes, true, StandardCharsets.UTF_8), PromqlTestRunnerTest::parse);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, out);
        assertTrue(out.contains("t.test: 4 passed, 1 failed, 1 skipped"), out);
        assertTrue(out.contains("FAIL t.test:23"), out);
        assertTrue(out.contains("expected 21.0 got 20.0"), out);
        assertTrue(out.contains("SKIP t.test:27 hist -- selects series loaded with native histogram samples"), out);
        assertTrue(out.trim().endsWith("4 passed, 1 failed, 1 skipped"), out);
    }

    @Test
    void seriesNotationExpands() {
        SeriesNotation.Series s = SeriesNotation.parse("m{a=\"b\", c=\"d\"} 1+2x2 _ stale _x2 5x1 -1-1x1");
        assertEquals(Labels.of("__name__", "m", "a", "b", "c", "d"), s.labels());
        List<Double> v = s.values();
        assertEquals(11, v.size());
        assertEquals(List.of(1.0, 3.0, 5.0), v.subList(0, 3));
        assertEquals(null, v.get(3));
        assertTrue(StaleMarker.is(v.get(4)));
        assertEquals(null, v.get(5));
        assertEquals(null, v.get(6));
        assertEquals(List.of(5.0, 5.0, -1.0, -2.0), v.subList(7, 11));
        assertEquals(90_000, PromqlTestRunner.durationMs("1m30s"));
        assertEquals(0, PromqlTestRunner.durationMs("0"));
    }
}
