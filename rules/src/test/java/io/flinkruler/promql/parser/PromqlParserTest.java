package io.flinkruler.promql.parser;

import io.flinkruler.promql.ast.AggregateExpr;
import io.flinkruler.promql.ast.AggregateOp;
import io.flinkruler.promql.ast.AtModifier;
import io.flinkruler.promql.ast.BinaryExpr;
import io.flinkruler.promql.ast.BinaryOp;
import io.flinkruler.promql.ast.Call;
import io.flinkruler.promql.ast.Expr;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.ast.MatrixSelector;
import io.flinkruler.promql.ast.NumberLiteral;
import io.flinkruler.promql.ast.ParenExpr;
import io.flinkruler.promql.ast.PosRange;
import io.flinkruler.promql.ast.StringLiteral;
import io.flinkruler.promql.ast.SubqueryExpr;
import io.flinkruler.promql.ast.UnaryExpr;
import io.flinkruler.promql.ast.ValueType;
import io.flinkruler.promql.ast.VectorMatching;
import io.flinkruler.promql.ast.VectorSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Valid expressions: the AST the parser builds and its PromQL rendering. */
class PromqlParserTest {

    private static Expr parse(String input) {
        try {
            return PromqlParser.parse(input);
        } catch (PromqlParseException e) {
            throw new AssertionError(input + ": " + e.getMessage(), e);
        }
    }

    private static double number(String input) {
        return assertInstanceOf(NumberLiteral.class, parse(input)).value();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "1|1", "+Inf|Infinity", "-Inf|-Infinity", ".5|0.5", "5.|5", "123.4567|123.4567", "5e-3|0.005", "5e3|5000",
            "0xc|12", "0x1F|31", "0755|493", "08|8", "-0755|-493", "+5.5e-3|0.0055", "-0x1F|-31", "1_000|1000", "1e+3|1000",
            "NaN|NaN", "nan|NaN", "Inf|Infinity", "iNf|Infinity", "1m|60", "5m|300", "1h30m|5400", "1s500ms|1.5", "1ms|0.001",
            "2d|172800", "1w|604800", "1y|31536000", "-5m|-300", "0|0"})
    void numbers(String input, double expected) {
        assertEquals(expected, number(input));
    }

    @Test
    void numberPositionsIncludeTheSign() {
        assertEquals(new PosRange(0, 4), parse("-Inf").pos());
        assertEquals(new PosRange(0, 4), parse("+Inf").pos());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "\"double\\tquoted\"|double\tquoted",
            "'single \\'quoted\\''|single 'quoted'",
            "`raw \\n string`|raw \\n string",
            "\"\\u00e9\\x41\\101\"|éAA",
            "\"\\xc3\\xa9\"|é",
            "\"\\U0001F600\"|\uD83D\uDE00",
            "'a\"b'|a\"b"})
    void strings(String input, String expected) {
        assertEquals(expected, assertInstanceOf(StringLiteral.class, parse(input)).value());
    }

    @Test
    void selectorWithAllMatcherTypes() {
        VectorSelector vs = assertInstanceOf(VectorSelector.class,
                parse("foo:bar{a=\"b\", c!=\"d\", e=~\"f.*\", g!~'h'}"));
        assertEquals("foo:bar", vs.name());
        assertEquals(List.of(
                new LabelMatcher(LabelMatcher.Type.EQ, "a", "b"),
                new LabelMatcher(LabelMatcher.Type.NEQ, "c", "d"),
                new LabelMatcher(LabelMatcher.Type.RE, "e", "f.*"),
                new LabelMatcher(LabelMatcher.Type.NRE, "g", "h"),
                new LabelMatcher(LabelMatcher.Type.EQ, "__name__", "foo:bar")), vs.matchers());
        assertEquals(0, vs.offsetMs());
        assertNull(vs.at());
        assertEquals(new PosRange(0, 40), vs.pos());
    }

    @Test
    void selectorByNameMatcherOnly() {
        VectorSelector vs = assertInstanceOf(VectorSelector.class, parse("{__name__=~\"x|y\", job=\"a\",}"));
        assertNull(vs.name());
        assertEquals(2, vs.matchers().size());
    }

    @Test
    void utf8QuotedMetricAndLabelNames() {
        VectorSelector vs = assertInstanceOf(VectorSelector.class, parse("{\"my.metric\", \"a.b\"=\"c\"}"));
        assertNull(vs.name());
        assertEquals(List.of(new LabelMatcher(LabelMatcher.Type.EQ, "__name__", "my.metric"),
                new LabelMatcher(LabelMatcher.Type.EQ, "a.b", "c")), vs.matchers());
        assertEquals("{\"a.b\"=\"c\",__name__=\"my.metric\"}", vs.toString());
    }

    @Test
    void keywordsCanBeMetricAndLabelNames() {
        assertEquals("sum", assertInstanceOf(VectorSelector.class, parse("sum")).name());
        assertEquals("offset", assertInstanceOf(VectorSelector.class, parse("offset")).name());
        assertEquals("by", assertInstanceOf(VectorSelector.class, parse("by{a=\"b\"}")).name());
        AggregateExpr a = assertInstanceOf(AggregateExpr.class, parse("sum by (sum, by, on, bool, offset, \"a.b\") (x)"));
        assertEquals(List.of("sum", "by", "on", "bool", "offset", "a.b"), a.grouping());
        VectorSelector vs = assertInstanceOf(VectorSelector.class, parse("x{and=\"1\", offset=\"2\"}"));
        assertEquals("and", vs.matchers().get(0).name());
    }

    @Test
    void rangeSelectorAndOffsets() {
        MatrixSelector m = assertInstanceOf(MatrixSelector.class, parse("foo[5m] offset -1h30m"));
        assertEquals(300_000, m.rangeMs());
        assertEquals(-5_400_000, m.selector().offsetMs());
        assertEquals(new PosRange(0, 21), m.pos());
        assertEquals(120_000, assertInstanceOf(MatrixSelector.class, parse("foo[120]")).rangeMs());
        assertEquals(1_500, assertInstanceOf(MatrixSelector.class, parse("foo[1.5]")).rangeMs());
        VectorSelector vs = assertInstanceOf(VectorSelector.class, parse("foo offset 5m"));
        assertEquals(300_000, vs.offsetMs());
        assertEquals(new PosRange(0, 13), vs.pos());
        assertEquals(-60_000, assertInstanceOf(VectorSelector.class, parse("foo OFFSET -1m")).offsetMs());
    }

    @Test
    void atModifiers() {
        VectorSelector vs = assertInstanceOf(VectorSelector.class, parse("foo @ 1603774568.5 offset 1m"));
        assertEquals(AtModifier.at(1_603_774_568_500L), vs.at());
        assertEquals(60_000, vs.offsetMs());
        MatrixSelector m = assertInstanceOf(MatrixSelector.class, parse("foo[1m] @ start()"));
        assertEquals(AtModifier.Kind.START, m.selector().at().kind());
        SubqueryExpr s = assertInstanceOf(SubqueryExpr.class, parse("sum(foo)[10m:1m] offset 5m @ end()"));
        assertEquals(AtModifier.Kind.END, s.at().kind());
        assertEquals(300_000, s.offsetMs());
        assertEquals(AtModifier.at(-1000), assertInstanceOf(VectorSelector.class, parse("foo @ -1")).at());
    }

    @Test
    void subqueries() {
        SubqueryExpr s = assertInstanceOf(SubqueryExpr.class, parse("rate(foo[5m])[30m:1m]"));
        assertEquals(1_800_000, s.rangeMs());
        assertEquals(60_000, s.stepMs());
        assertInstanceOf(Call.class, s.expr());
        assertEquals(new PosRange(0, 21), s.pos());
        SubqueryExpr noStep = assertInstanceOf(SubqueryExpr.class, parse("foo[5m:]"));
        assertEquals(0, noStep.stepMs());
        Call inner = assertInstanceOf(Call.class, assertInstanceOf(SubqueryExpr.class, parse("min_over_time(foo[5m:])[1h:]")).expr());
        assertInstanceOf(SubqueryExpr.class, inner.args().get(0));
    }

    @Test
    void precedenceAndAssociativity() {
        BinaryExpr e = assertInstanceOf(BinaryExpr.class, parse("a + b * c"));
        assertEquals(BinaryOp.ADD, e.op());
        assertEquals(BinaryOp.MUL, assertInstanceOf(BinaryExpr.class, e.rhs()).op());

        e = assertInstanceOf(BinaryExpr.class, parse("a - b - c"));
        assertEquals(BinaryOp.SUB, assertInstanceOf(BinaryExpr.class, e.lhs()).op());

        e = assertInstanceOf(BinaryExpr.class, parse("2 ^ 3 ^ 2"));
        assertInstanceOf(NumberLiteral.class, e.lhs());
        assertEquals(BinaryOp.POW, assertInstanceOf(BinaryExpr.class, e.rhs()).op());

        e = assertInstanceOf(BinaryExpr.class, parse("a or b and c unless d"));
        assertEquals(BinaryOp.OR, e.op());
        BinaryExpr rhs = assertInstanceOf(BinaryExpr.class, e.rhs());
        assertEquals(BinaryOp.UNLESS, rhs.op());
        assertEquals(BinaryOp.AND, assertInstanceOf(BinaryExpr.class, rhs.lhs()).op());

        e = assertInstanceOf(BinaryExpr.class, parse("a > b + c"));
        assertEquals(BinaryOp.GTR, e.op());
        e = assertInstanceOf(BinaryExpr.class, parse("a atan2 b * c"));
        assertEquals(BinaryOp.MUL, e.op());
        assertEquals(BinaryOp.ATAN2, assertInstanceOf(BinaryExpr.class, e.lhs()).op());
    }

    @Test
    void unaryMinusBindsLikeMultiplication() {
        UnaryExpr u = assertInstanceOf(UnaryExpr.class, parse("-a ^ b"));
        assertEquals(BinaryOp.POW, assertInstanceOf(BinaryExpr.class, u.expr()).op());
        BinaryExpr e = assertInstanceOf(BinaryExpr.class, parse("-a * b"));
        assertInstanceOf(UnaryExpr.class, e.lhs());
        e = assertInstanceOf(BinaryExpr.class, parse("a + -b * c"));
        assertInstanceOf(UnaryExpr.class, assertInstanceOf(BinaryExpr.class, e.rhs()).lhs());
        assertEquals(-1, number("-1"));
        u = assertInstanceOf(UnaryExpr.class, parse("-1 ^ 2"));
        assertEquals(BinaryOp.POW, assertInstanceOf(BinaryExpr.class, u.expr()).op());
        assertInstanceOf(VectorSelector.class, parse("+foo"));
        assertEquals(5, number("--5"));
        MatrixSelector m = assertInstanceOf(MatrixSelector.class, assertInstanceOf(Call.class,
                parse("rate(foo[5m])")).args().get(0));
        assertEquals("foo", m.selector().name());
    }

    @Test
    void vectorMatching() {
        BinaryExpr e = assertInstanceOf(BinaryExpr.class, parse("a * on(x, y) group_left(z) b"));
        assertEquals(new VectorMatching(VectorMatching.Cardinality.MANY_TO_ONE, List.of("x", "y"), true, List.of("z")), e.matching());
        e = assertInstanceOf(BinaryExpr.class, parse("a / ignoring(x) group_right b"));
        assertEquals(new VectorMatching(VectorMatching.Cardinality.ONE_TO_MANY, List.of("x"), false, List.of()), e.matching());
        e = assertInstanceOf(BinaryExpr.class, parse("a and b"));
        assertEquals(VectorMatching.Cardinality.MANY_TO_MANY, e.matching().card());
        e = assertInstanceOf(BinaryExpr.class, parse("a == bool 1"));
        assertTrue(e.returnBool());
        assertNull(e.matching());
        assertEquals(ValueType.VECTOR, e.type());
        e = assertInstanceOf(BinaryExpr.class, parse("1 >= bool 2"));
        assertEquals(ValueType.SCALAR, e.type());
        e = assertInstanceOf(BinaryExpr.class, parse("a - b"));
        assertEquals(new VectorMatching(VectorMatching.Cardinality.ONE_TO_ONE, List.of(), false, List.of()), e.matching());
    }

    @Test
    void aggregations() {
        AggregateExpr a = assertInstanceOf(AggregateExpr.class, parse("sum by (job, instance) (rate(x[5m]))"));
        assertEquals(AggregateOp.SUM, a.op());
        assertEquals(List.of("job", "instance"), a.grouping());
        assertFalse(a.without());
        assertNull(a.param());
        a = assertInstanceOf(AggregateExpr.class, parse("avg(x) without (a,)"));
        assertTrue(a.without());
        assertEquals(List.of("a"), a.grouping());
        assertEquals(new PosRange(0, 19), a.pos());
        a = assertInstanceOf(AggregateExpr.class, parse("topk(5, x)"));
        assertEquals(5, assertInstanceOf(NumberLiteral.class, a.param()).value());
        a = assertInstanceOf(AggregateExpr.class, parse("count_values(\"v\", x)"));
        assertEquals("v", assertInstanceOf(StringLiteral.class, a.param()).value());
        a = assertInstanceOf(AggregateExpr.class, parse("QUANTILE(0.9, x)"));
        assertEquals(AggregateOp.QUANTILE, a.op());
        for (String op : List.of("min", "max", "group", "stddev", "stdvar", "count", "avg")) {
            assertEquals(op, assertInstanceOf(AggregateExpr.class, parse(op + "(x)")).op().keyword());
        }
        assertEquals(AggregateOp.LIMITK, assertInstanceOf(AggregateExpr.class, parse("limitk(2, x)")).op());
        assertEquals(AggregateOp.LIMIT_RATIO, assertInstanceOf(AggregateExpr.class, parse("limit_ratio(0.5, x)")).op());
        assertEquals(AggregateOp.BOTTOMK, assertInstanceOf(AggregateExpr.class, parse("bottomk by (a) (1, x)")).op());
    }

    @Test
    void functionCalls() {
        Call c = assertInstanceOf(Call.class, parse("label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")"));
        assertEquals("label_replace", c.function().name());
        assertEquals(5, c.args().size());
        assertEquals(ValueType.SCALAR, parse("time()").type());
        assertEquals(ValueType.SCALAR, parse("start()").type());
        assertEquals(ValueType.VECTOR, parse("round(x, 5)").type());
        assertEquals(ValueType.VECTOR, parse("label_join(x, \"a\", \",\", \"b\", \"c\", \"d\")").type());
        assertThrows(PromqlParseException.class, () -> PromqlParser.parse("atan2(1, 2)"), "atan2 is an operator");
        assertEquals("start", assertInstanceOf(VectorSelector.class, parse("start")).name());
        assertInstanceOf(ParenExpr.class, parse("(((x)))"));
    }

    @Test
    void functionTableHasEveryPrometheusFunction() {
        assertEquals(90, Functions.all().size());
        assertEquals(List.of(ValueType.SCALAR, ValueType.MATRIX), Functions.get("quantile_over_time").argTypes());
        assertEquals(-1, Functions.get("label_join").variadic());
        assertEquals(1, Functions.get("round").variadic());
        assertTrue(Functions.get("mad_over_time").experimental());
        assertFalse(Functions.get("rate").experimental());
        assertNull(Functions.get("Rate"));
    }

    @Test
    void commentsAndNewlines() {
        PromqlParseException e = assertThrows(PromqlParseException.class, () -> PromqlParser.parse("sum(x)\n  # comment\n  + \n  foo["));
        assertEquals(4, e.line());
        assertEquals(7, e.column());
        assertInstanceOf(BinaryExpr.class, parse("a # comment\n + b # another"));
    }

    @Test
    void experimentalFunctionsNeedTheOption() throws Exception {
        PromqlParseException e = assertThrows(PromqlParseException.class,
                () -> PromqlParser.parse("sort_by_label(x, \"a\")", PromqlParser.Options.PROMETHEUS_DEFAULTS));
        assertEquals("function \"sort_by_label\" is not enabled", e.detail());
        e = assertThrows(PromqlParseException.class, () -> PromqlParser.parse("limitk(1, x)", PromqlParser.Options.PROMETHEUS_DEFAULTS));
        assertEquals("limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions", e.detail());
        assertInstanceOf(Call.class, PromqlParser.parse("rate(x[5m])", PromqlParser.Options.PROMETHEUS_DEFAULTS));
    }

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                arguments("1", "1"),
                arguments("sum without() (task:errors:rate10s{job=\"s\"})", "sum without () (task:errors:rate10s{job=\"s\"})"),
                arguments("sum by(\"foo.bar\") (task:errors:rate10s{job=\"s\"})", "sum by (\"foo.bar\") (task:errors:rate10s{job=\"s\"})"),
                arguments("count_values(\"value\", task:errors:rate10s{job=\"s\"})", "count_values(\"value\", task:errors:rate10s{job=\"s\"})"),
                arguments("a - on(b) group_left c", "a - on (b) group_left () c"),
                arguments("a - on(b) group_left(x, y) c", "a - on (b) group_left (x, y) c"),
                arguments("a - on(b) group_left() (c)", "a - on (b) group_left () (c)"),
                arguments("a - ignoring() c", "a - c"),
                arguments("a - ignoring() group_left(__metric__) c", "a - ignoring () group_left (__metric__) c"),
                arguments("a{c=\"d\"}[5m] offset 1m", "a{c=\"d\"}[5m] offset 1m"),
                arguments("a[12m] offset -3m", "a[12m] offset -3m"),
                arguments("a[1h:5m] offset 1m", "a[1h:5m] offset 1m"),
                arguments("a{b!~\"c\"}[1m]", "a{b!~\"c\"}[1m]"),
                arguments("a[1m] @ 10", "a[1m] @ 10.000"),
                arguments("{__name__=\"\",a=\"x\"}", "{__name__=\"\",a=\"x\"}"),
                arguments("{\"a.b\"=\"c\"}", "{\"a.b\"=\"c\"}"),
                arguments("{\"0\"=\"1\"}", "{\"0\"=\"1\"}"),
                arguments("{\"_0\"=\"1\"}", "{_0=\"1\"}"),
                arguments("{\"\"=\"0\"}", "{\"\"=\"0\"}"),
                arguments("{``=\"0\"}", "{\"\"=\"0\"}"),
                arguments("1048576", "1048576"),
                arguments("predict_linear(foo[1h], 3000)", "predict_linear(foo[1h], 3000)"),
                arguments("sum by(\"üüü\") (foo)", "sum by (\"üüü\") (foo)"),
                arguments("count by(\"ööö\", job) (foo)", "count by (\"ööö\", job) (foo)"),
                arguments("foo / on(legacy, \"üüü\") group_right(\"ööö\") bar", "foo / on (legacy, \"üüü\") group_right (\"ööö\") bar"),
                arguments("-1.5", "-1.5"),
                arguments("1e100", "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
                arguments("0.000001", "0.000001"),
                arguments("\"a\\nb\"", "\"a\\nb\""),
                arguments("'it''s'", null),
                arguments("foo", "foo"),
                arguments("foo{b=\"2\", a=~\"1\"}", "foo{a=~\"1\",b=\"2\"}"),
                arguments("{__name__=\"foo\"}", "{__name__=\"foo\"}"),
                arguments("foo offset 5m", "foo offset 5m"),
                arguments("foo offset -90m", "foo offset -1h30m"),
                arguments("foo @ 1000", "foo @ 1000.000"),
                arguments("foo @ start() offset 1m", "foo @ start() offset 1m"),
                arguments("foo[5m] @ end() offset 1w", "foo[5m] @ end() offset 1w"),
                arguments("foo[90d]", "foo[90d]"),
                arguments("foo[1h30m]", "foo[1h30m]"),
                arguments("rate(foo[5m])[1h:5m] offset 1h", "rate(foo[5m])[1h:5m] offset 1h"),
                arguments("foo[1h:]", "foo[1h:]"),
                arguments("sum by(a,b)(x)", "sum by (a, b) (x)"),
                arguments("sum(x) without(a)", "sum without (a) (x)"),
                arguments("sum by () (x)", "sum(x)"),
                arguments("topk(3, x)", "topk(3, x)"),
                arguments("a + on(b) group_left(c) d", "a + on (b) group_left (c) d"),
                arguments("a + ignoring(b) d", "a + ignoring (b) d"),
                arguments("a * on() group_right d", "a * on () group_right () d"),
                arguments("a and on() b", "a and on () b"),
                arguments("a > bool 1", "a > bool 1"),
                arguments("-(a + b)", "-(a + b)"),
                arguments("+a", "a"),
                arguments("a^-b", "a ^ -b"),
                arguments("rate(x[5m])", "rate(x[5m])"),
                arguments("label_replace(x, \"a\", \"b\", \"c\", \"d\")", "label_replace(x, \"a\", \"b\", \"c\", \"d\")"),
                arguments("sum by (\"a.b\") (x)", "sum by (\"a.b\") (x)"),
                arguments("x{\"a\\\"b\"=\"c\\\\d\"}", "x{\"a\\\"b\"=\"c\\\\d\"}"),
                arguments("5m", "300"),
                arguments("time() atan2 2", "time() atan2 2"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("roundTrips")
    void printsPromql(String input, String expected) {
        if (expected == null) return;
        String printed = parse(input).toString();
        assertEquals(expected, printed);
        assertEquals(printed, parse(printed).toString(), "printing is stable");
    }
}
