package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.promql.ast.AggregateExpr;
import io.flinkruler.promql.ast.AggregateOp;
import io.flinkruler.promql.ast.BinaryExpr;
import io.flinkruler.promql.ast.BinaryOp;
import io.flinkruler.promql.ast.Call;
import io.flinkruler.promql.ast.Expr;
import io.flinkruler.promql.ast.FunctionSignature;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.ast.MatrixSelector;
import io.flinkruler.promql.ast.NumberLiteral;
import io.flinkruler.promql.ast.PosRange;
import io.flinkruler.promql.ast.ValueType;
import io.flinkruler.promql.ast.VectorSelector;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalCoreTest {
    private static final PosRange P = PosRange.NONE;
    private static final long MIN = 60_000;

    static VectorSelector sel(String name, LabelMatcher... extra) {
        List<LabelMatcher> m = new ArrayList<>();
        m.add(new LabelMatcher(LabelMatcher.Type.EQ, Labels.METRIC_NAME, name));
        m.addAll(List.of(extra));
        return new VectorSelector(name, m, 0, null, P);
    }

    static Call call(String fn, ValueType ret, Expr... args) {
        List<ValueType> types = new ArrayList<>();
        for (Expr a : args) types.add(a.type());
        return new Call(new FunctionSignature(fn, types, 0, ret, false), List.of(args), P);
    }

    static Expr rate(VectorSelector s, long rangeMs) {
        return call("rate", ValueType.VECTOR, new MatrixSelector(s, rangeMs, P));
    }

    /** Runs the expression the way the Flink job does: 3 shards, serialized partials, merged, per-rule step. */
    static EvalResult eval(Expr e, Map<Labels, double[][]> data, long ts) throws Exception {
        EvalPlan plan = EvalPlan.compile(e, EvalOptions.defaults(MIN));
        SeriesStore[] shards = {new SeriesStore(), new SeriesStore(), new SeriesStore()};
        for (Map.Entry<Labels, double[][]> en : data.entrySet()) {
            SeriesStore s = shards[(int) Math.floorMod(en.getKey().stableHash(), 3L)];
            for (double[] p : en.getValue()) s.append(en.getKey(), (long) p[0], p[1]);
        }
        LeafValues merged = null;
        for (SeriesStore s : shards) {
            LeafValues part = roundTrip(SeriesStep.evaluate(plan, s, ts));
            if (merged == null) merged = part;
            else merged.mergeFrom(part);
        }
        return RuleStep.evaluate(plan, merged, ts);
    }

    static LeafValues roundTrip(LeafValues v) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        v.writeTo(new DataOutputStream(bytes));
        return LeafValues.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    static double[][] counter(long stepMs, double... values) {
        double[][] out = new double[values.length][];
        for (int i = 0; i < values.length; i++) out[i] = new double[] {i * stepMs, values[i]};
        return out;
    }

    static Map<Labels, Double> asMap(EvalResult r) {
        Map<Labels, Double> m = new HashMap<>();
        for (EvalResult.Sample s : r.vector()) m.put(s.labels(), s.value());
        return m;
    }

    @Test
    void instantSelectorUsesLookbackAndStaleness() throws Exception {
        Map<Labels, double[][]> data = new HashMap<>();
        data.put(Labels.of("__name__", "up", "job", "a"), new double[][] {{0, 1}, {MIN, 2}});
        data.put(Labels.of("__name__", "up", "job", "b"), new double[][] {{0, 5}, {MIN, StaleMarker.VALUE}});
        EvalResult r = eval(sel("up"), data, 2 * MIN);
        assertEquals(Map.of(Labels.of("__name__", "up", "job", "a"), 2.0), asMap(r));
        // Lookback is left-open: a sample exactly 5m old is out.
        assertTrue(eval(sel("up"), data, 6 * MIN).vector().isEmpty());
        assertEquals(1, eval(sel("up"), data, 6 * MIN - 1).vector().size());
    }

    @Test
    void rateExtrapolatesAndHandlesCounterResets() throws Exception {
        Map<Labels, double[][]> data = new HashMap<>();
        // 0..100 by 10 every 1m, reset at 6m.
        data.put(Labels.of("__name__", "req_total", "i", "1"), counter(MIN, 0, 10, 20, 30, 40, 50, 5, 15, 25, 35, 45));
        EvalResult r = eval(rate(sel("req_total"), 5 * MIN), data, 10 * MIN);
        // Window (5m,10m]: samples at 6..10m = 5,15,25,35,45: increase 40 over 4m, extrapolated to 5m
        // (start gap 1m < 1.1 * 1m; durationToZero = 4m*5/40 = 30s caps it): (240+30)/240 * 40 / 300.
        double expected = 40 * ((240.0 + 30) / 240) / 300;
        assertEquals(expected, r.vector().get(0).value(), 1e-12);
        assertEquals(Labels.of("i", "1"), r.vector().get(0).labels());
        r = eval(call("increase", ValueType.VECTOR, new MatrixSelector(sel("req_total"), 10 * MIN, P)), data, 10 * MIN);
        // Samples 1m..10m: 10,...,50,5,...,45 -> raw increase 45-10+50 = 85 over 9m; extrapolate 1m/2? no: gap 1m < 1.1m, zero-point 9m*10/85.
        double sampled = 540, toStart = Math.min(60, 540 * 10 / 85.0);
        assertEquals(85 * (sampled + toStart) / sampled, r.vector().get(0).value(), 1e-9);
    }

    @Test
    void sumByAndComparisonWithBool() throws Exception {
        Map<Labels, double[][]> data = new HashMap<>();
        data.put(Labels.of("__name__", "x", "job", "a", "i", "1"), new double[][] {{0, 1}});
        data.put(Labels.of("__name__", "x", "job", "a", "i", "2"), new double[][] {{0, 2}});
        data.put(Labels.of("__name__", "x", "job", "b", "i", "3"), new double[][] {{0, 4}});
        Expr sum = new AggregateExpr(AggregateOp.SUM, sel("x"), null, List.of("job"), false, P);
        assertEquals(Map.of(Labels.of("job", "a"), 3.0, Labels.of("job", "b"), 4.0), asMap(eval(sum, data, MIN)));
        Expr gt = new BinaryExpr(BinaryOp.GTR, sum, new NumberLiteral(3, P), null, false, P);
        assertEquals(Map.of(Labels.of("job", "b"), 4.0), asMap(eval(gt, data, MIN)));
        Expr gtBool = new BinaryExpr(BinaryOp.GTR, sel("x"), new NumberLiteral(1, P), null, true, P);
        Map<Labels, Double> m = asMap(eval(gtBool, data, MIN));
        assertEquals(0.0, m.get(Labels.of("job", "a", "i", "1")));
        assertEquals(1.0, m.get(Labels.of("job", "b", "i", "3")));
        Expr scalars = new BinaryExpr(BinaryOp.LSS, new NumberLiteral(1, P), new NumberLiteral(2, P), null, true, P);
        assertEquals(1.0, eval(scalars, data, MIN).scalar());
    }

    @Test
    void avgOverTimeAndRegexMatchers() throws Exception {
        Map<Labels, double[][]> data = new HashMap<>();
        data.put(Labels.of("__name__", "g", "env", "prod"), counter(MIN, 1, 2, 3, 4));
        data.put(Labels.of("__name__", "g", "env", "dev"), counter(MIN, 10, 10, 10, 10));
        VectorSelector prod = sel("g", new LabelMatcher(LabelMatcher.Type.RE, "env", "pr.*"));
        Expr avg = call("avg_over_time", ValueType.VECTOR, new MatrixSelector(prod, 3 * MIN, P));
        assertEquals(Map.of(Labels.of("env", "prod"), 3.0), asMap(eval(avg, data, 3 * MIN)));
        VectorSelector notProd = sel("g", new LabelMatcher(LabelMatcher.Type.NRE, "env", "pr.*"));
        Expr max = call("max_over_time", ValueType.VECTOR, new MatrixSelector(notProd, 3 * MIN, P));
        assertEquals(Map.of(Labels.of("env", "dev"), 10.0), asMap(eval(max, data, 3 * MIN)));
    }

    @Test
    void offsetShiftsTheWindow() throws Exception {
        Map<Labels, double[][]> data = new HashMap<>();
        data.put(Labels.of("__name__", "v"), counter(MIN, 1, 2, 3, 4, 5));
        VectorSelector s = new VectorSelector("v", sel("v").matchers(), 2 * MIN, null, P);
        assertEquals(3.0, eval(s, data, 4 * MIN).vector().get(0).value());
    }

    @Test
    void duplicateLabelsAfterNameDropFail() {
        Map<Labels, double[][]> data = new HashMap<>();
        data.put(Labels.of("__name__", "a", "x", "1"), new double[][] {{0, 1}});
        data.put(Labels.of("__name__", "b", "x", "1"), new double[][] {{0, 1}});
        VectorSelector any = new VectorSelector(null, List.of(new LabelMatcher(LabelMatcher.Type.RE, Labels.METRIC_NAME, "a|b")), 0, null, P);
        EvalException e = assertThrows(EvalException.class, () -> eval(call("abs", ValueType.VECTOR, any), data, 0));
        assertEquals("vector cannot contain metrics with the same labelset", e.getMessage());
    }

    @Test
    void seriesStoreRejectsOutOfOrderEvictsAndRoundTrips() throws IOException {
        SeriesStore s = new SeriesStore();
        Labels a = Labels.of("__name__", "a");
        assertTrue(s.append(a, 10, 1));
        assertFalse(s.append(a, 10, 2));
        assertFalse(s.append(a, 5, 2));
        for (int i = 2; i < 100; i++) assertTrue(s.append(a, i * 10, i));
        s.append(Labels.of("__name__", "b"), 5, 1);
        assertEquals(2, s.seriesCount());
        assertEquals(100, s.sampleCount());
        s.evictBefore(500);
        assertEquals(1, s.seriesCount());
        assertEquals(50, s.sampleCount());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.writeTo(new DataOutputStream(bytes));
        SeriesStore copy = SeriesStore.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(1, copy.seriesCount());
        assertEquals(50, copy.sampleCount());
        assertTrue(copy.append(a, 1000, 1));
        assertFalse(copy.append(a, 990, 1));
    }

    @Test
    void planReportsRetention() {
        EvalPlan p = EvalPlan.compile(rate(sel("x"), 10 * MIN), EvalOptions.defaults(MIN));
        assertEquals(10 * MIN, p.retentionMs());
        assertFalse(p.needsSamplesAfter());
        assertEquals(5 * MIN, EvalPlan.compile(sel("x"), EvalOptions.defaults(MIN)).retentionMs());
        VectorSelector neg = new VectorSelector("x", sel("x").matchers(), -MIN, null, P);
        assertTrue(EvalPlan.compile(neg, EvalOptions.defaults(MIN)).needsSamplesAfter());
    }
}
