package io.flinkruler.promql.parser;

import io.flinkruler.promql.ast.AggregateExpr;
import io.flinkruler.promql.ast.AggregateOp;
import io.flinkruler.promql.ast.AtModifier;
import io.flinkruler.promql.ast.BinaryExpr;
import io.flinkruler.promql.ast.BinaryOp;
import io.flinkruler.promql.ast.Call;
import io.flinkruler.promql.ast.Expr;
import io.flinkruler.promql.ast.FunctionSignature;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.ast.MatrixSelector;
import io.flinkruler.promql.ast.NumberLiteral;
import io.flinkruler.promql.ast.ParenExpr;
import io.flinkruler.promql.ast.PosRange;
import io.flinkruler.promql.ast.PromqlPrinter;
import io.flinkruler.promql.ast.Re2Regex;
import io.flinkruler.promql.ast.StringLiteral;
import io.flinkruler.promql.ast.SubqueryExpr;
import io.flinkruler.promql.ast.UnaryExpr;
import io.flinkruler.promql.ast.ValueType;
import io.flinkruler.promql.ast.VectorMatching;
import io.flinkruler.promql.ast.VectorSelector;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive-descent / precedence-climbing parser for one PromQL expression, following the grammar of
 * Prometheus's generated_parser.y. Syntax errors abort at once; errors Prometheus detects in grammar
 * actions (wrong durations, unknown functions, misplaced modifiers...) are recorded and parsing goes on,
 * so that the first error in source order is reported, as Prometheus does. Type errors are found
 * afterwards by {@link TypeChecker}.
 */
final class ExprParser {
    record ParseError(String detail, PosRange pos) {}

    /** Aborts the parse with the error to report. */
    static final class Failure extends RuntimeException {
        final ParseError error;

        Failure(ParseError error) {
            super(error.detail(), null, false, false);
            this.error = error;
        }
    }

    private static final String DURATION_EXPECTED = "number, duration, step(), or range()";

    private final String input;
    private final Lexer lexer;
    private final boolean experimentalFunctions;
    private final List<Token> tokens = new ArrayList<>();
    private int index;
    private final List<ParseError> recorded = new ArrayList<>();
    /** Enclosing constructs whose error rule names them in "unexpected ..." messages ("aggregation"). */
    private final Deque<String> errorContexts = new ArrayDeque<>();

    /** The vector matching as written, before the parser normalised it (needed by type checks). */
    final Map<BinaryExpr, VectorMatching> writtenMatching = new IdentityHashMap<>();
    /** Operands of a dropped unary plus, with the position of the plus. */
    final Map<Expr, Integer> unaryPlusOperands = new IdentityHashMap<>();

    ExprParser(String input, boolean experimentalFunctions) {
        this.input = input;
        this.lexer = new Lexer(input);
        this.experimentalFunctions = experimentalFunctions;
    }

    Expr parseRoot() {
        if (peek().type() == TokenType.EOF) throw fail("no expression found in input", new PosRange(0, 0));
        Expr e = parseExpr(0);
        if (peek().type() != TokenType.EOF) throw unexpected(null, "");
        if (!recorded.isEmpty()) throw new Failure(recorded.get(0));
        return e;
    }

    // ---- tokens and errors ----------------------------------------------------------------------

    private Token peek() {
        return peekAt(0);
    }

    private Token peekAt(int k) {
        while (tokens.size() <= index + k) tokens.add(lexer.next());
        Token t = tokens.get(index + k);
        if (t.type() == TokenType.ERROR) throw fail(t.text(), new PosRange(t.start(), input.length()));
        return t;
    }

    private boolean at(TokenType type) {
        return peek().type() == type;
    }

    private Token advance() {
        Token t = peek();
        index++;
        return t;
    }

    private void record(String detail, PosRange pos) {
        recorded.add(new ParseError(detail, pos));
    }

    /** A fatal error; an error recorded earlier in the source still takes precedence. */
    private Failure fail(String detail, PosRange pos) {
        return new Failure(recorded.isEmpty() ? new ParseError(detail, pos) : recorded.get(0));
    }

    /**
     * "unexpected X [in context][, expected Y]" for the next token. A null context means the innermost
     * enclosing construct that has an error rule in Prometheus's grammar (or none).
     */
    private Failure unexpected(String context, String expected) {
        Token t = peek();
        String ctx = context != null ? context : errorContexts.isEmpty() ? "" : errorContexts.peek();
        StringBuilder msg = new StringBuilder("unexpected ").append(t.describe());
        if (!ctx.isEmpty()) msg.append(" in ").append(ctx);
        if (!expected.isEmpty()) msg.append(", expected ").append(expected);
        return fail(msg.toString(), t.range());
    }

    private static PosRange span(int start, int end) {
        return new PosRange(start, end);
    }

    // ---- expressions ----------------------------------------------------------------------------

    private Expr parseExpr(int minPrecedence) {
        Expr lhs = parseUnary();
        while (true) {
            Token t = peek();
            if (t.type() == TokenType.TRIM_UPPER || t.type() == TokenType.TRIM_LOWER) {
                throw fail("native histogram trim operators (</ and >/) are not supported", t.range());
            }
            BinaryOp op = binaryOp(t.type());
            if (op == null || op.precedence < minPrecedence) return lhs;
            advance();
            BinModifiers modifiers = parseBinModifiers();
            Expr rhs = parseExpr(op.rightAssociative() ? op.precedence : op.precedence + 1);
            lhs = newBinary(op, lhs, rhs, modifiers);
        }
    }

    private static BinaryOp binaryOp(TokenType t) {
        return switch (t) {
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case MOD -> BinaryOp.MOD;
            case POW -> BinaryOp.POW;
            case ATAN2 -> BinaryOp.ATAN2;
            case EQLC -> BinaryOp.EQLC;
            case NEQ -> BinaryOp.NEQ;
            case LTE -> BinaryOp.LTE;
            case LSS -> BinaryOp.LSS;
            case GTE -> BinaryOp.GTE;
            case GTR -> BinaryOp.GTR;
            case LAND -> BinaryOp.AND;
            case LOR -> BinaryOp.OR;
            case LUNLESS -> BinaryOp.UNLESS;
            default -> null;
        };
    }

    /** Unary +/- bind like multiplication: their operand extends over "^" only. */
    private Expr parseUnary() {
        Token t = peek();
        if (t.type() != TokenType.ADD && t.type() != TokenType.SUB) return parsePostfix(parsePrimary());
        advance();
        boolean minus = t.type() == TokenType.SUB;
        Expr operand = parseExpr(BinaryOp.POW.precedence);
        if (operand instanceof NumberLiteral n) {
            return new NumberLiteral(minus ? -n.value() : n.value(), span(t.start(), n.pos().end()));
        }
        if (minus) return new UnaryExpr(operand, span(t.start(), operand.pos().end()));
        unaryPlusOperands.put(operand, t.start());
        return operand;
    }

    private record BinModifiers(boolean returnBool, boolean on, List<String> labels, VectorMatching.Cardinality card,
                                List<String> include, boolean fill) {}

    private BinModifiers parseBinModifiers() {
        boolean returnBool = false;
        if (at(TokenType.BOOL)) {
            advance();
            returnBool = true;
        }
        boolean on = false;
        List<String> labels = List.of();
        List<String> include = List.of();
        VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
        if (at(TokenType.ON) || at(TokenType.IGNORING)) {
            on = advance().type() == TokenType.ON;
            labels = parseGroupingLabels();
            if (at(TokenType.GROUP_LEFT) || at(TokenType.GROUP_RIGHT)) {
                card = advance().type() == TokenType.GROUP_LEFT
                        ? VectorMatching.Cardinality.MANY_TO_ONE : VectorMatching.Cardinality.ONE_TO_MANY;
                if (at(TokenType.LEFT_PAREN)) include = parseGroupingLabels();
            }
        }
        boolean fill = false;
        for (int i = 0; i < 2 && (at(TokenType.FILL) || at(TokenType.FILL_LEFT) || at(TokenType.FILL_RIGHT)); i++) {
            boolean both = advance().type() == TokenType.FILL;
            parseFillValue();
            fill = true;
            if (both) break;
        }
        return new BinModifiers(returnBool, on, labels, card, include, fill);
    }

    private void parseFillValue() {
        if (!at(TokenType.LEFT_PAREN)) throw unexpected(null, "");
        advance();
        if (at(TokenType.ADD) || at(TokenType.SUB)) advance();
        if (!at(TokenType.NUMBER) && !at(TokenType.DURATION)) throw unexpected(null, "");
        advance();
        if (!at(TokenType.RIGHT_PAREN)) throw unexpected(null, "");
        advance();
    }

    private Expr newBinary(BinaryOp op, Expr lhs, Expr rhs, BinModifiers m) {
        VectorMatching written = new VectorMatching(m.card(), m.labels(), m.on(), m.include());
        VectorMatching matching;
        if (lhs.type() != ValueType.VECTOR || rhs.type() != ValueType.VECTOR) {
            matching = null;
        } else if (op.isSetOperator() && m.card() == VectorMatching.Cardinality.ONE_TO_ONE) {
            matching = new VectorMatching(VectorMatching.Cardinality.MANY_TO_MANY, m.labels(), m.on(), m.include());
        } else {
            matching = written;
        }
        BinaryExpr e = new BinaryExpr(op, lhs, rhs, matching, m.returnBool(), span(lhs.pos().start(), rhs.pos().end()));
        writtenMatching.put(e, written);
        if (m.fill()) record("binop fill modifiers are experimental and not enabled", e.pos());
        return e;
    }

    /** {@code ( label, ... )} after by, without, on, ignoring, group_left and group_right. */
    private List<String> parseGroupingLabels() {
        if (!at(TokenType.LEFT_PAREN)) throw unexpected("grouping opts", "\"(\"");
        advance();
        List<String> labels = new ArrayList<>();
        if (at(TokenType.RIGHT_PAREN)) {
            advance();
            return labels;
        }
        while (true) {
            Token t = peek();
            if (isLabelWord(t.type())) {
                advance();
                labels.add(t.text());
            } else if (t.type() == TokenType.STRING) {
                advance();
                String name = Literals.unquote(t.text());
                if (!isValidLabelName(name)) record("invalid label name for grouping: " + PromqlPrinter.quote(name), t.range());
                labels.add(name);
            } else {
                throw unexpected("grouping opts", "label");
            }
            if (at(TokenType.COMMA)) {
                advance();
                if (at(TokenType.RIGHT_PAREN)) {
                    advance();
                    return labels;
                }
            } else if (at(TokenType.RIGHT_PAREN)) {
                advance();
                return labels;
            } else {
                throw unexpected("grouping opts", "\",\" or \")\"");
            }
        }
    }

    /** Words the lexer may have taken for keywords but which can name a label in a grouping list. */
    private static boolean isLabelWord(TokenType t) {
        return switch (t.group) {
            case KEYWORD, AGGREGATOR, PREPROCESSOR -> true;
            default -> t == TokenType.IDENTIFIER || t == TokenType.METRIC_IDENTIFIER || t == TokenType.LAND
                    || t == TokenType.LOR || t == TokenType.LUNLESS || t == TokenType.ATAN2;
        };
    }

    /** Prometheus 3 accepts any non-empty valid UTF-8 label name. */
    private static boolean isValidLabelName(String name) {
        return !name.isEmpty() && name.indexOf('\uFFFD') < 0;
    }

    // ---- primary expressions --------------------------------------------------------------------

    private Expr parsePrimary() {
        Token t = peek();
        switch (t.type()) {
            case NUMBER:
                advance();
                return new NumberLiteral(numberValue(t), t.range());
            case DURATION:
                advance();
                return new NumberLiteral(durationSeconds(t), t.range());
            case STRING:
                advance();
                return new StringLiteral(Literals.unquote(t.text()), t.range());
            case LEFT_PAREN: {
                advance();
                Expr inner = parseExpr(0);
                if (!at(TokenType.RIGHT_PAREN)) throw unexpected(null, "");
                Token close = advance();
                return new ParenExpr(inner, span(t.start(), close.end()));
            }
            case LEFT_BRACE:
                return parseSelector(null);
            case IDENTIFIER:
                return peekAt(1).type() == TokenType.LEFT_PAREN ? parseCall() : parseSelector(t);
            case START, END, STEP, RANGE, MAX_OF, MIN_OF:
                return peekAt(1).type() == TokenType.LEFT_PAREN ? parseCall() : parseSelector(t);
            case METRIC_IDENTIFIER, BY, WITHOUT, OFFSET, LAND, LOR, LUNLESS, ANCHORED, SMOOTHED, FILL, FILL_LEFT, FILL_RIGHT:
                return parseSelector(t);
            default:
                if (t.type().isAggregator()) {
                    TokenType next = peekAt(1).type();
                    boolean aggregation = next == TokenType.LEFT_PAREN || next == TokenType.BY || next == TokenType.WITHOUT;
                    return aggregation ? parseAggregation() : parseSelector(t);
                }
                throw unexpected(null, "");
        }
    }

    private double numberValue(Token t) {
        try {
            return Literals.parseNumber(t.text());
        } catch (Literals.InvalidLiteralException e) {
            record(e.getMessage(), t.range());
            return 0;
        }
    }

    private double durationSeconds(Token t) {
        try {
            return Literals.nanosToSeconds(Literals.parseDurationNanos(t.text()));
        } catch (Literals.InvalidLiteralException e) {
            record(e.getMessage(), t.range());
            return 0;
        }
    }

    private Expr parseCall() {
        Token name = advance();
        advance(); // (
        List<Expr> args = new ArrayList<>();
        Token close = parseArguments(args);
        FunctionSignature fn = Functions.get(name.text());
        if (fn == null) {
            record("unknown function with name " + PromqlPrinter.quote(name.text()), name.range());
            fn = new FunctionSignature(name.text(), List.of(), -1, ValueType.VECTOR, false);
        } else if (fn.experimental() && !experimentalFunctions) {
            record("function " + PromqlPrinter.quote(name.text()) + " is not enabled", name.range());
        }
        return new Call(fn, List.copyOf(args), span(name.start(), close.end()));
    }

    /** Arguments after "(" up to and including ")", which is returned. */
    private Token parseArguments(List<Expr> args) {
        if (at(TokenType.RIGHT_PAREN)) return advance();
        while (true) {
            args.add(parseExpr(0));
            if (at(TokenType.COMMA)) {
                Token comma = advance();
                if (at(TokenType.RIGHT_PAREN)) {
                    record("trailing commas not allowed in function call args", comma.range());
                    return advance();
                }
            } else if (at(TokenType.RIGHT_PAREN)) {
                return advance();
            } else {
                throw unexpected(null, "");
            }
        }
    }

    private record Grouping(List<String> labels, boolean without) {}

    private Grouping parseAggregationModifier() {
        boolean without = advance().type() == TokenType.WITHOUT;
        return new Grouping(List.copyOf(parseGroupingLabels()), without);
    }

    private Expr parseAggregation() {
        Token opToken = advance();
        errorContexts.push("aggregation");
        Grouping grouping = null;
        if (at(TokenType.BY) || at(TokenType.WITHOUT)) grouping = parseAggregationModifier();
        if (!at(TokenType.LEFT_PAREN)) throw unexpected(null, "");
        advance();
        List<Expr> args = new ArrayList<>();
        int end = parseArguments(args).end();
        errorContexts.pop();
        if (grouping == null && (at(TokenType.BY) || at(TokenType.WITHOUT))) {
            grouping = parseAggregationModifier();
            end = tokens.get(index - 1).end();
        }
        if (grouping == null) grouping = new Grouping(List.of(), false);

        AggregateOp op = AggregateOp.fromKeyword(opToken.text().toLowerCase(Locale.ROOT));
        PosRange pos = span(opToken.start(), end);
        Expr placeholder = new NumberLiteral(0, pos);
        if (args.isEmpty()) {
            record("no arguments for aggregate expression provided", pos);
            return new AggregateExpr(op, placeholder, null, grouping.labels(), grouping.without(), pos);
        }
        int wanted = 1;
        Expr param = null;
        if (op.takesParam()) {
            if (!experimentalFunctions && (op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO)) {
                record(op.keyword() + "() is experimental and must be enabled with --enable-feature=promql-experimental-functions", pos);
                return new AggregateExpr(op, placeholder, null, grouping.labels(), grouping.without(), pos);
            }
            wanted = 2;
            param = args.get(0);
        }
        if (args.size() != wanted) {
            record("wrong number of arguments for aggregate expression provided, expected " + wanted + ", got " + args.size(), pos);
            return new AggregateExpr(op, placeholder, param, grouping.labels(), grouping.without(), pos);
        }
        return new AggregateExpr(op, args.get(wanted - 1), param, grouping.labels(), grouping.without(), pos);
    }

    // ---- selectors ------------------------------------------------------------------------------

    private Expr parseSelector(Token nameToken) {
        String name = null;
        int start;
        int end;
        if (nameToken != null) {
            advance();
            name = nameToken.text();
            start = nameToken.start();
            end = nameToken.end();
        } else {
            start = peek().start();
            end = start;
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        if (at(TokenType.LEFT_BRACE)) {
            advance();
            end = parseMatchers(matchers);
        }
        if (name != null) matchers.add(new LabelMatcher(LabelMatcher.Type.EQ, "__name__", name));
        return new VectorSelector(name, List.copyOf(matchers), 0, null, span(start, end));
    }

    /** Matchers after "{" up to and including "}", whose end offset is returned. */
    private int parseMatchers(List<LabelMatcher> matchers) {
        if (at(TokenType.RIGHT_BRACE)) return advance().end();
        while (true) {
            Token label = peek();
            if (label.type() == TokenType.IDENTIFIER) {
                advance();
                if (!isMatchOp(peek().type())) throw unexpected("label matching", "label matching operator");
                addMatcher(matchers, label, label.text());
            } else if (label.type() == TokenType.STRING) {
                advance();
                String name = Literals.unquote(label.text());
                if (isMatchOp(peek().type())) {
                    addMatcher(matchers, label, name);
                } else {
                    matchers.add(new LabelMatcher(LabelMatcher.Type.EQ, "__name__", name));
                }
            } else {
                throw unexpected("label matching", "identifier or \"}\"");
            }
            if (at(TokenType.COMMA)) {
                advance();
                if (at(TokenType.RIGHT_BRACE)) return advance().end();
            } else if (at(TokenType.RIGHT_BRACE)) {
                return advance().end();
            } else {
                throw unexpected("label matching", "\",\" or \"}\"");
            }
        }
    }

    private static boolean isMatchOp(TokenType t) {
        return t == TokenType.EQL || t == TokenType.NEQ || t == TokenType.EQL_REGEX || t == TokenType.NEQ_REGEX;
    }

    private void addMatcher(List<LabelMatcher> matchers, Token label, String name) {
        Token op = advance();
        if (!at(TokenType.STRING)) throw unexpected("label matching", "string");
        Token value = advance();
        LabelMatcher.Type type = switch (op.type()) {
            case EQL -> LabelMatcher.Type.EQ;
            case NEQ -> LabelMatcher.Type.NEQ;
            case EQL_REGEX -> LabelMatcher.Type.RE;
            default -> LabelMatcher.Type.NRE;
        };
        String v = Literals.unquote(value.text());
        try {
            matchers.add(new LabelMatcher(type, name, v));
        } catch (PatternSyntaxException e) {
            record(Re2Regex.describeError(e, v), span(label.start(), value.end()));
        }
    }

    // ---- postfix modifiers: [range], [range:step], offset, @ --------------------------------------

    private Expr parsePostfix(Expr e) {
        while (true) {
            switch (peek().type()) {
                case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
                case OFFSET -> e = parseOffset(e);
                case AT -> e = parseAt(e);
                case ANCHORED, SMOOTHED -> {
                    Token t = advance();
                    record(t.text().toLowerCase(Locale.ROOT) + " modifier is experimental and not enabled", e.pos());
                }
                default -> {
                    return e;
                }
            }
        }
    }

    private record Duration(double seconds, PosRange pos) {}

    private static boolean isDurationExpressionStart(TokenType t) {
        return t == TokenType.LEFT_PAREN || t == TokenType.STEP || t == TokenType.RANGE || t == TokenType.MAX_OF || t == TokenType.MIN_OF;
    }

    private static boolean isArithmetic(TokenType t) {
        return t == TokenType.ADD || t == TokenType.SUB || t == TokenType.MUL || t == TokenType.DIV || t == TokenType.MOD || t == TokenType.POW;
    }

    /**
     * A signed number or duration literal in seconds. Prometheus also has experimental duration
     * arithmetic (step(), range(), "5m+1s"...), off by default; it is reported as not enabled.
     */
    private Duration parseDurationLiteral(String context, String expected) {
        Token first = peek();
        boolean negative = false;
        Token t = first;
        if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            advance();
            negative = t.type() == TokenType.SUB;
            t = peek();
        }
        if (isDurationExpressionStart(t.type())) {
            if (t.type() != TokenType.LEFT_PAREN && peekAt(1).type() != TokenType.LEFT_PAREN) {
                advance();
                throw unexpected(context, expected);
            }
            throw fail("experimental duration expression is not enabled", t.range());
        }
        if (t.type() != TokenType.NUMBER && t.type() != TokenType.DURATION) throw unexpected(context, expected);
        advance();
        double v = t.type() == TokenType.NUMBER ? numberValue(t) : durationSeconds(t);
        if (negative) v = -v;
        PosRange pos = span(first.start(), t.end());
        if (v > 0x1p63 / 1e9 || v < -0x1p63 / 1e9) {
            record("duration out of range", negative ? first.range() : pos);
            v = 0;
        }
        return new Duration(v, pos);
    }

    private Duration parseRangeDuration(String context, String expected) {
        Duration d = parseDurationLiteral(context, expected);
        if (d.seconds() <= 0) record("duration must be greater than 0", d.pos());
        if (isArithmetic(peek().type())) throw fail("experimental duration expression is not enabled", d.pos());
        return d;
    }

    /** Seconds to whole milliseconds as Prometheus does: rounded to nanoseconds, then truncated. */
    private static long toMillis(double seconds) {
        return goRound(seconds * 1e9) / 1_000_000L;
    }

    private static long goRound(double v) {
        return (long) (Math.signum(v) * Math.floor(Math.abs(v) + 0.5));
    }

    private Expr parseRangeOrSubquery(Expr e) {
        Token open = advance();
        Duration range = parseRangeDuration("subquery or range selector", DURATION_EXPECTED);
        if (at(TokenType.RIGHT_BRACKET)) return newMatrixSelector(e, range, open, advance());
        if (!at(TokenType.COLON)) throw unexpected("subquery or range", "\":\" or \"]\"");
        advance();
        String stepExpected = "number, duration, step(), range(), or \"]\"";
        long stepMs = 0;
        if (!at(TokenType.RIGHT_BRACKET)) {
            TokenType t = peek().type();
            boolean durationStart = t == TokenType.NUMBER || t == TokenType.DURATION || t == TokenType.ADD || t == TokenType.SUB
                    || isDurationExpressionStart(t);
            if (!durationStart) throw unexpected("subquery selector", stepExpected);
            stepMs = toMillis(parseRangeDuration("subquery selector", stepExpected).seconds());
            if (!at(TokenType.RIGHT_BRACKET)) throw unexpected("subquery selector", "\"]\"");
        }
        Token close = advance();
        return new SubqueryExpr(e, toMillis(range.seconds()), stepMs, 0, null, span(e.pos().start(), close.end()));
    }

    private Expr newMatrixSelector(Expr e, Duration range, Token open, Token close) {
        String error = null;
        if (!(e instanceof VectorSelector vs)) {
            error = "ranges only allowed for vector selectors";
        } else if (vs.offsetMs() != 0) {
            error = "no offset modifiers allowed before range";
        } else if (vs.at() != null) {
            error = "no @ modifiers allowed before range";
        }
        if (error != null) {
            record(error, span(open.start(), close.end()));
            return e;
        }
        VectorSelector vs = (VectorSelector) e;
        return new MatrixSelector(vs, toMillis(range.seconds()), span(vs.pos().start(), close.end()));
    }

    private static final String MODIFIER_TARGETS = "an instant vector selector or range vector selector or a subquery";

    private Expr parseOffset(Expr e) {
        advance();
        Duration d = parseDurationLiteral("offset", DURATION_EXPECTED);
        long offsetMs = toMillis(d.seconds());
        int end = d.pos().end();
        if (e instanceof VectorSelector vs) {
            if (vs.offsetMs() != 0) {
                record("offset may not be set multiple times", e.pos());
                return e;
            }
            return new VectorSelector(vs.name(), vs.matchers(), offsetMs, vs.at(), span(vs.pos().start(), end));
        }
        if (e instanceof MatrixSelector m) {
            VectorSelector vs = m.selector();
            if (vs.offsetMs() != 0) {
                record("offset may not be set multiple times", e.pos());
                return e;
            }
            VectorSelector moved = new VectorSelector(vs.name(), vs.matchers(), offsetMs, vs.at(), vs.pos());
            return new MatrixSelector(moved, m.rangeMs(), span(m.pos().start(), end));
        }
        if (e instanceof SubqueryExpr s) {
            if (s.offsetMs() != 0) {
                record("offset may not be set multiple times", e.pos());
                return e;
            }
            return new SubqueryExpr(s.expr(), s.rangeMs(), s.stepMs(), offsetMs, s.at(), span(s.pos().start(), end));
        }
        record("offset modifier must be preceded by " + MODIFIER_TARGETS, e.pos());
        return e;
    }

    private Expr parseAt(Expr e) {
        advance();
        Token t = peek();
        AtModifier at;
        int end;
        if (t.type() == TokenType.START || t.type() == TokenType.END) {
            advance();
            if (!at(TokenType.LEFT_PAREN)) throw unexpected("@", "timestamp");
            advance();
            if (!at(TokenType.RIGHT_PAREN)) throw unexpected("@", "timestamp");
            end = advance().end();
            at = new AtModifier(t.type() == TokenType.START ? AtModifier.Kind.START : AtModifier.Kind.END, 0);
        } else {
            boolean negative = false;
            if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
                advance();
                negative = t.type() == TokenType.SUB;
                t = peek();
            }
            if (t.type() != TokenType.NUMBER && t.type() != TokenType.DURATION) throw unexpected("@", "timestamp");
            advance();
            double seconds = t.type() == TokenType.NUMBER ? numberValue(t) : durationSeconds(t);
            if (negative) seconds = -seconds;
            end = t.end();
            if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds >= 0x1p63 || seconds <= -0x1p63) {
                record("timestamp out of bounds for @ modifier: " + goFloatF(seconds), e.pos());
            }
            at = AtModifier.at(goRound(seconds * 1000));
        }
        return withAt(e, at, end);
    }

    private Expr withAt(Expr e, AtModifier at, int end) {
        AtModifier existing;
        if (e instanceof VectorSelector vs) {
            existing = vs.at();
        } else if (e instanceof MatrixSelector m) {
            existing = m.selector().at();
        } else if (e instanceof SubqueryExpr s) {
            existing = s.at();
        } else {
            record("@ modifier must be preceded by " + MODIFIER_TARGETS, e.pos());
            return e;
        }
        if (existing != null) {
            record("@ <timestamp> may not be set multiple times", e.pos());
            return e;
        }
        if (e instanceof VectorSelector vs) {
            return new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at, span(vs.pos().start(), end));
        }
        if (e instanceof MatrixSelector m) {
            VectorSelector vs = m.selector();
            VectorSelector moved = new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at, vs.pos());
            return new MatrixSelector(moved, m.rangeMs(), span(m.pos().start(), end));
        }
        SubqueryExpr s = (SubqueryExpr) e;
        return new SubqueryExpr(s.expr(), s.rangeMs(), s.stepMs(), s.offsetMs(), at, span(s.pos().start(), end));
    }

    /** Go's {@code %f}. */
    private static String goFloatF(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    }
}
