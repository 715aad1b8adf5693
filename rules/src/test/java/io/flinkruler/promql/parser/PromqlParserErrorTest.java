package io.flinkruler.promql.parser;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Invalid expressions: Prometheus's error message and the 0-based offset of the position it reports
 * (most cases taken from Prometheus's parser tests).
 */
class PromqlParserErrorTest {

    static Stream<Arguments> invalidExpressions() {
        return Stream.of(
                // Lexical errors.
                arguments("", "no expression found in input", 0),
                arguments("# just a comment\n\n", "no expression found in input", 0),
                arguments(".", "unexpected character: '.'", 0),
                arguments("2.5.", "bad number or duration syntax: \"2.5.\"", 0),
                arguments("100..4", "bad number or duration syntax: \"100..\"", 0),
                arguments("0deadbeef", "bad number or duration syntax: \"0de\"", 0),
                arguments("(1))", "unexpected right parenthesis ')'", 4),
                arguments("((1)", "unclosed left parenthesis", 4),
                arguments("(", "unclosed left parenthesis", 1),
                arguments("sum(", "unclosed left parenthesis", 4),
                arguments("sum(rate(", "unclosed left parenthesis", 9),
                arguments("1 !~ 1", "unexpected character after '!': '~'", 2),
                arguments("1 =~ 1", "unexpected character after '=': '~'", 2),
                arguments("{", "unexpected end of input inside braces", 1),
                arguments("}", "unexpected character: '}'", 0),
                arguments("some{", "unexpected end of input inside braces", 5),
                arguments("some}", "unexpected character: '}'", 4),
                arguments("some_metric{a:b=\"b\"}", "unexpected character inside braces: ':'", 13),
                arguments("foo{a*\"b\"}", "unexpected character inside braces: '*'", 5),
                arguments("foo{a>=\"b\"}", "unexpected character inside braces: '>'", 5),
                arguments("foo{1}", "unexpected character inside braces: '1'", 4),
                arguments("foo[5mm]", "bad number or duration syntax: \"5mm\"", 4),
                arguments("foo[5m1]", "bad number or duration syntax: \"5m1\"", 4),
                arguments("foo[5m:1m1]", "bad number or duration syntax: \"1m1\"", 7),
                arguments("foo[\"5m\"]", "unexpected character in duration expression: '\"'", 4),
                arguments("foo{bar=\"baz\"}[", "unexpected end of input in duration expression", 15),
                arguments("foo[5s x 5s]", "unexpected character: 'x', expected ':'", 7),
                arguments("foo[5s s 5s]", "unexpected character: 's', expected ':'", 7),
                arguments("sum by (\"foo)(some_metric{})", "unterminated quoted string", 8),
                arguments("`\\``", "unterminated raw string", 3),
                arguments("\"\\", "escape sequence not terminated", 0),
                arguments("\"\\c\"", "unknown escape sequence U+0063 'c'", 0),
                arguments("\"\\x.\"", "illegal character U+002E '.' in escape sequence", 0),
                arguments("some_metric[5m] OFFSET 1mm", "bad number or duration syntax: \"1mm\"", 23),
                // Syntax errors.
                arguments("1+", "unexpected end of input", 2),
                arguments("1 /", "unexpected end of input", 3),
                arguments("*1", "unexpected <op:*>", 0),
                arguments("*test", "unexpected <op:*>", 0),
                arguments("@@", "unexpected <op:@>", 0),
                arguments("-=", "unexpected \"=\"", 1),
                arguments("++-++-+-+-<", "unexpected <op:<>", 10),
                arguments("e-+=/(0)", "unexpected \"=\"", 3),
                arguments("a - on(b) ignoring(c) d", "unexpected <ignoring>", 10),
                arguments("foo + group_left(baz) bar", "unexpected <group_left>", 6),
                arguments("some_metric{a=b}", "unexpected identifier \"b\" in label matching, expected string", 14),
                arguments("foo{gibberish}", "unexpected \"}\" in label matching, expected label matching operator", 13),
                arguments("foo{__name__= =}", "unexpected \"=\" in label matching, expected string", 14),
                arguments("foo{,}", "unexpected \",\" in label matching, expected identifier or \"}\"", 4),
                arguments("foo{__name__ == \"bar\"}", "unexpected \"=\" in label matching, expected string", 14),
                arguments("foo{__name__=\"bar\" lol}", "unexpected identifier \"lol\" in label matching, expected \",\" or \"}\"", 19),
                arguments("foo{\"a\"=}", "unexpected \"}\" in label matching, expected string", 8),
                arguments("foo[]", "unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()", 4),
                arguments("foo[step]", "unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()", 8),
                arguments("some_metric[5m] OFFSET", "unexpected end of input in offset, expected number, duration, step(), or range()", 22),
                arguments("some_metric[5m] @", "unexpected end of input in @, expected timestamp", 17),
                arguments("sum without(==)(some_metric)", "unexpected <op:==> in grouping opts, expected label", 12),
                arguments("sum without(,)(some_metric)", "unexpected \",\" in grouping opts, expected label", 12),
                arguments("sum without(foo,,)(some_metric)", "unexpected \",\" in grouping opts, expected label", 16),
                arguments("sum some_metric by (test)", "unexpected identifier \"some_metric\"", 4),
                arguments("sum (some_metric) by test", "unexpected identifier \"test\" in grouping opts, expected \"(\"", 21),
                arguments("MIN keep_common (some_metric)", "unexpected identifier \"keep_common\"", 4),
                arguments("MIN (some_metric) keep_common", "unexpected identifier \"keep_common\"", 18),
                arguments("sum (some_metric) without (test) by (test)", "unexpected <by>", 33),
                arguments("sum without (test) (some_metric) by (test)", "unexpected <by>", 33),
                // Cross-checked against promtool's parser: the innermost construct with an error rule names the context.
                arguments("sum(foo bar)", "unexpected identifier \"bar\" in aggregation", 8),
                arguments("rate(foo bar)", "unexpected identifier \"bar\"", 9),
                arguments("sum by (a) foo", "unexpected identifier \"foo\" in aggregation", 11),
                arguments("foo @ start", "unexpected end of input in @, expected timestamp", 11),
                arguments("sum(rate(x[5m] y))", "unexpected identifier \"y\" in aggregation", 15),
                arguments("foo * on(a) group_left bar baz", "unexpected identifier \"baz\"", 27),
                arguments("foo[5m:1m", "unclosed left bracket", 9),
                arguments("sum(x) by (a", "unclosed left parenthesis", 12),
                arguments("x + on(a b) y", "unexpected identifier \"b\" in grouping opts, expected \",\" or \")\"", 9),
                arguments("(foo bar)", "unexpected identifier \"bar\"", 5),
                arguments("foo{a=\"b\" c=\"d\"}", "unexpected identifier \"c\" in label matching, expected \",\" or \"}\"", 10),
                arguments("foo @ start(", "unclosed left parenthesis", 12),
                arguments("foo{a=~\"(.*\"}", "error parsing regexp: missing closing ): `(.*`", 4),
                arguments("foo[1h] anchored", "anchored modifier is experimental and not enabled", 0),
                arguments("a + fill(0) b", "binop fill modifiers are experimental and not enabled", 0),
                arguments("foo[5m+1m]", "experimental duration expression is not enabled", 4),
                // Errors found while parsing.
                arguments("1 offset 1d", "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", 0),
                arguments("foo offset 1s offset 2s", "offset may not be set multiple times", 0),
                arguments("foo[5y1hs]", "unknown unit \"hs\" in duration \"5y1hs\"", 4),
                arguments("foo[5m1h]", "not a valid duration string: \"5m1h\"", 4),
                arguments("foo[5m1m]", "not a valid duration string: \"5m1m\"", 4),
                arguments("foo[0m]", "duration must be greater than 0", 4),
                arguments("foo[-1]", "duration must be greater than 0", 4),
                arguments("foo offset 9.5e10", "duration out of range", 11),
                arguments("foo[9.5e10]", "duration out of range", 4),
                arguments("some_metric OFFSET 1m[5m]", "no offset modifiers allowed before range", 21),
                arguments("some_metric @ 1234 [5m]", "no @ modifiers allowed before range", 19),
                arguments("some_metric @ start() [5m]", "no @ modifiers allowed before range", 22),
                arguments("some_metric @ end()[5m]", "no @ modifiers allowed before range", 19),
                arguments("(foo + bar)[5m]", "ranges only allowed for vector selectors", 11),
                arguments("rate(food[1m])[1h] offset 1h", "ranges only allowed for vector selectors", 14),
                arguments("rate(food[1m])[1h] @ 100", "ranges only allowed for vector selectors", 14),
                arguments("1[5m] smoothed", "ranges only allowed for vector selectors", 1),
                arguments("foo @ +Inf", "timestamp out of bounds for @ modifier: +Inf", 0),
                arguments("foo @ -Inf", "timestamp out of bounds for @ modifier: -Inf", 0),
                arguments("foo @ NaN", "timestamp out of bounds for @ modifier: NaN", 0),
                arguments("foo @ 9223372036854775808", "timestamp out of bounds for @ modifier: 9223372036854775808.000000", 0),
                arguments("rate(some_metric[5m]) @ 1234", "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery", 0),
                arguments("foo @ 1 @ 2", "@ <timestamp> may not be set multiple times", 0),
                arguments("sum () by (test)", "no arguments for aggregate expression provided", 0),
                arguments("topk(some_metric)", "wrong number of arguments for aggregate expression provided, expected 2, got 1", 0),
                arguments("topk(some_metric,)", "trailing commas not allowed in function call args", 16),
                arguments("non_existent_function_far_bar()", "unknown function with name \"non_existent_function_far_bar\"", 0),
                arguments("a>b()", "unknown function with name \"b\"", 2),
                arguments("9".repeat(309), "error parsing number: strconv.ParseFloat: parsing \"" + "9".repeat(309) + "\": value out of range", 0),
                // Type errors.
                arguments("1 and 1", "set operator \"and\" not allowed in binary scalar expression", 0),
                arguments("1 == 1", "comparisons between scalars must use BOOL modifier", 2),
                arguments("1 or 1", "set operator \"or\" not allowed in binary scalar expression", 0),
                arguments("1 unless 1", "set operator \"unless\" not allowed in binary scalar expression", 0),
                arguments("-\"string\"", "unary expression only allowed on expressions of type scalar or instant vector, got \"string\"", 0),
                arguments("-test[5m]", "unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\"", 0),
                arguments("foo and 1", "set operator \"and\" not allowed in binary scalar expression", 0),
                arguments("1 or foo", "set operator \"or\" not allowed in binary scalar expression", 0),
                arguments("1 or on(bar) foo", "vector matching only allowed between instant vectors", 0),
                arguments("foo == on(bar) 10", "vector matching only allowed between instant vectors", 0),
                arguments("foo and on(bar) group_left(baz) bar", "no grouping allowed for \"and\" operation", 0),
                arguments("foo unless on(bar) group_right(baz) bar", "no grouping allowed for \"unless\" operation", 0),
                arguments("http_requests{group=\"production\"} + on(instance) group_left(job,instance) cpu_count{type=\"smp\"}",
                        "label \"instance\" must not occur in ON and GROUP clause at once", 34),
                arguments("foo + bool bar", "bool modifier can only be used on comparison operators", 4),
                arguments("foo and bool 10", "bool modifier can only be used on comparison operators", 4),
                arguments("{}", "vector selector must contain at least one non-empty matcher", 0),
                arguments("{x=\"\"}", "vector selector must contain at least one non-empty matcher", 0),
                arguments("{x=~\".*\"}", "vector selector must contain at least one non-empty matcher", 0),
                arguments("{x!~\".+\"}", "vector selector must contain at least one non-empty matcher", 0),
                arguments("{x!=\"a\"}", "vector selector must contain at least one non-empty matcher", 0),
                arguments("foo{__name__=\"bar\"}", "metric name must not be set twice: \"foo\" or \"bar\"", 0),
                arguments("topk(some_metric, other_metric)", "expected type scalar in aggregation parameter, got instant vector", 5),
                arguments("count_values(5, other_metric)", "expected type string in aggregation parameter, got scalar", 13),
                arguments("floor()", "expected 1 argument(s) in call to \"floor\", got 0", 0),
                arguments("floor(some_metric, other_metric)", "expected 1 argument(s) in call to \"floor\", got 2", 0),
                arguments("floor(1)", "expected type instant vector in call to function \"floor\", got scalar", 6),
                arguments("hour(some_metric, some_metric, some_metric)", "expected at most 1 argument(s) in call to \"hour\", got 3", 0),
                arguments("time(some_metric)", "expected 0 argument(s) in call to \"time\", got 1", 0),
                arguments("rate(some_metric)", "expected type range vector in call to function \"rate\", got instant vector", 5),
                arguments("rate(avg)", "expected type range vector in call to function \"rate\", got instant vector", 5),
                arguments("test[5d] OFFSET 10s [10m:5s]", "subquery is only allowed on instant vector, got matrix instead", 0),
                arguments("(foo + bar{nm=\"val\"})[5m:][10m:5s]", "subquery is only allowed on instant vector, got matrix instead", 0),
                arguments("info(rate(http_request_counter_total{}[5m]), target_info{foo=\"bar\"})",
                        "expected label selectors only, got vector selector instead", 45),
                arguments("info(http_request_counter_total{namespace=\"zzz\"}, {foo=\"bar\"} == 1)", "expected label selectors only", 50),
                arguments("sum(\"x\")", "expected type instant vector in aggregation expression, got string", 4),
                arguments("rate(x[5m]) + \"a\"", "binary expression must contain only scalar and instant vector types", 14),
                arguments("label_join(x, \"a\")", "expected at least 3 argument(s) in call to \"label_join\", got 2", 0));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidExpressions")
    void reportsPrometheusErrorAndPosition(String input, String message, int offset) {
        PromqlParseException e = assertThrows(PromqlParseException.class, () -> PromqlParser.parse(input));
        assertEquals(message, e.detail());
        assertEquals(offset, e.pos().start(), "error offset");
    }
}
