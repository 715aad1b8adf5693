package io.flinkruler.promql.parser;

import io.flinkruler.promql.ast.AggregateExpr;
import io.flinkruler.promql.ast.AggregateOp;
import io.flinkruler.promql.ast.BinaryExpr;
import io.flinkruler.promql.ast.Call;
import io.flinkruler.promql.ast.Expr;
import io.flinkruler.promql.ast.FunctionSignature;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.ast.MatrixSelector;
import io.flinkruler.promql.ast.ParenExpr;
import io.flinkruler.promql.ast.PosRange;
import io.flinkruler.promql.ast.PromqlPrinter;
import io.flinkruler.promql.ast.StepInvariantExpr;
import io.flinkruler.promql.ast.SubqueryExpr;
import io.flinkruler.promql.ast.UnaryExpr;
import io.flinkruler.promql.ast.ValueType;
import io.flinkruler.promql.ast.VectorMatching;
import io.flinkruler.promql.ast.VectorSelector;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The semantic checks Prometheus runs on a syntactically valid expression (parse.go checkAST), in the
 * same traversal order, so that the first error found is the one Prometheus reports.
 */
final class TypeChecker {
    private final String input;
    private final Map<BinaryExpr, VectorMatching> writtenMatching;
    private final Map<Expr, Integer> unaryPlusOperands;
    /** Second arguments of info(): label selectors that may match everything. */
    private final Set<VectorSelector> labelSelectorsOnly = Collections.newSetFromMap(new IdentityHashMap<>());

    TypeChecker(String input, Map<BinaryExpr, VectorMatching> writtenMatching, Map<Expr, Integer> unaryPlusOperands) {
        this.input = input;
        this.writtenMatching = writtenMatching;
        this.unaryPlusOperands = unaryPlusOperands;
    }

    private static ExprParser.Failure error(String detail, PosRange pos) {
        return new ExprParser.Failure(new ExprParser.ParseError(detail, pos));
    }

    ValueType check(Expr e) {
        checkNode(e);
        ValueType t = e.type();
        Integer plus = unaryPlusOperands.get(e);
        if (plus != null && t != ValueType.SCALAR && t != ValueType.VECTOR) {
            throw error("unary expression only allowed on expressions of type scalar or instant vector, got "
                    + PromqlPrinter.quote(t.description()), new PosRange(plus, e.pos().end()));
        }
        return t;
    }

    private void expectType(Expr e, ValueType want, String context) {
        ValueType t = check(e);
        if (t != want) {
            throw error("expected type " + want.description() + " in " + context + ", got " + t.description(), e.pos());
        }
    }

    private void checkNode(Expr e) {
        if (e instanceof AggregateExpr a) {
            expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
            AggregateOp op = a.op();
            if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK || op == AggregateOp.QUANTILE || op == AggregateOp.LIMITK
                    || op == AggregateOp.LIMIT_RATIO) {
                expectType(a.param(), ValueType.SCALAR, "aggregation parameter");
            }
            if (op == AggregateOp.COUNT_VALUES) expectType(a.param(), ValueType.STRING, "aggregation parameter");
        } else if (e instanceof BinaryExpr b) {
            checkBinary(b);
        } else if (e instanceof Call c) {
            checkCall(c);
        } else if (e instanceof ParenExpr p) {
            check(p.expr());
        } else if (e instanceof UnaryExpr u) {
            ValueType t = check(u.expr());
            if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
                throw error("unary expression only allowed on expressions of type scalar or instant vector, got "
                        + PromqlPrinter.quote(t.description()), u.pos());
            }
        } else if (e instanceof SubqueryExpr s) {
            ValueType t = check(s.expr());
            if (t != ValueType.VECTOR) throw error("subquery is only allowed on instant vector, got " + goName(t) + " instead", s.pos());
        } else if (e instanceof MatrixSelector m) {
            check(m.selector());
        } else if (e instanceof VectorSelector v) {
            checkSelector(v);
        } else if (e instanceof StepInvariantExpr s) {
            check(s.expr());
        }
    }

    /** The names Go's ValueType.String() gives. */
    private static String goName(ValueType t) {
        return switch (t) {
            case SCALAR -> "scalar";
            case VECTOR -> "vector";
            case MATRIX -> "matrix";
            case STRING -> "string";
        };
    }

    private void checkBinary(BinaryExpr b) {
        ValueType lt = check(b.lhs());
        ValueType rt = check(b.rhs());
        VectorMatching written = writtenMatching.get(b);
        if (written == null) written = b.matching();
        if (b.returnBool() && !b.op().isComparison()) {
            throw error("bool modifier can only be used on comparison operators", operatorRange(b));
        }
        if (b.op().isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw error("comparisons between scalars must use BOOL modifier", operatorRange(b));
        }
        if (written != null && written.on()) {
            for (String l : written.matchingLabels()) {
                if (written.include().contains(l)) {
                    throw error("label " + PromqlPrinter.quote(l) + " must not occur in ON and GROUP clause at once", operatorRange(b));
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            throw error("binary expression must contain only scalar and instant vector types", b.lhs().pos());
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw error("binary expression must contain only scalar and instant vector types", b.rhs().pos());
        }
        if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
            if (written != null && !written.matchingLabels().isEmpty()) {
                throw error("vector matching only allowed between instant vectors", b.pos());
            }
        } else if (b.op().isSetOperator() && written != null) {
            if (written.card() == VectorMatching.Cardinality.ONE_TO_MANY || written.card() == VectorMatching.Cardinality.MANY_TO_ONE) {
                throw error("no grouping allowed for " + PromqlPrinter.quote(b.op().symbol) + " operation", b.pos());
            }
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && b.op().isSetOperator()) {
            throw error("set operator " + PromqlPrinter.quote(b.op().symbol) + " not allowed in binary scalar expression", b.pos());
        }
    }

    /** From the first non-space after the left operand to the last non-space before the right one (inclusive). */
    private PosRange operatorRange(BinaryExpr b) {
        int start = b.lhs().pos().end();
        while (start < input.length() && Lexer.isSpace(input.charAt(start))) start++;
        int end = b.rhs().pos().start() - 1;
        while (end > 0 && Lexer.isSpace(input.charAt(end))) end--;
        return new PosRange(start, end);
    }

    private void checkCall(Call c) {
        FunctionSignature fn = c.function();
        List<Expr> args = c.args();
        int declared = fn.argTypes().size();
        String quotedName = PromqlPrinter.quote(fn.name());
        if (fn.variadic() == 0) {
            if (declared != args.size()) {
                throw error("expected " + declared + " argument(s) in call to " + quotedName + ", got " + args.size(), c.pos());
            }
        } else {
            int required = declared - 1;
            if (required > args.size()) {
                throw error("expected at least " + required + " argument(s) in call to " + quotedName + ", got " + args.size(), c.pos());
            }
            int max = required + fn.variadic();
            if (fn.variadic() > 0 && max < args.size()) {
                throw error("expected at most " + max + " argument(s) in call to " + quotedName + ", got " + args.size(), c.pos());
            }
        }
        if (fn.name().equals("info") && args.size() > 1) {
            Expr selectors = args.get(1);
            if (selectors.type() != ValueType.VECTOR) {
                throw error("expected type instant vector in call to function \"info\", got " + selectors.type().description(), c.pos());
            }
            if (selectors instanceof VectorSelector vs && vs.name() != null) {
                throw error("expected label selectors only, got vector selector instead", selectors.pos());
            } else if (selectors instanceof VectorSelector vs) {
                labelSelectorsOnly.add(vs);
            } else {
                throw error("expected label selectors only", selectors.pos());
            }
        }
        for (int i = 0; i < args.size(); i++) {
            int typeIndex = i;
            if (i >= declared) {
                if (fn.variadic() == 0) break;
                typeIndex = declared - 1;
            }
            ValueType want = fn.argTypes().get(typeIndex);
            ValueType t = check(args.get(i));
            if (t != want) {
                throw error("expected type " + want.description() + " in call to function " + quotedName + ", got " + t.description(),
                        args.get(i).pos());
            }
        }
    }

    private void checkSelector(VectorSelector v) {
        List<LabelMatcher> matchers = v.matchers();
        if (v.name() != null) {
            // The last matcher is the one derived from the name itself.
            for (LabelMatcher m : matchers.subList(0, Math.max(0, matchers.size() - 1))) {
                if (m.name().equals("__name__")) {
                    throw error("metric name must not be set twice: " + PromqlPrinter.quote(v.name()) + " or "
                            + PromqlPrinter.quote(m.value()), v.pos());
                }
            }
            return;
        }
        if (labelSelectorsOnly.contains(v)) return;
        for (LabelMatcher m : matchers) {
            if (!m.matchesEmpty()) return;
        }
        throw error("vector selector must contain at least one non-empty matcher", v.pos());
    }
}
