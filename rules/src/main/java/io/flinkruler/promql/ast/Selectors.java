package io.flinkruler.promql.ast;

import java.util.ArrayList;
import java.util.List;

/** The vector selectors of an expression tree (those inside range selectors and subqueries too). */
public final class Selectors {
    private Selectors() {}

    public static List<VectorSelector> of(Expr e) {
        List<VectorSelector> out = new ArrayList<>();
        collect(e, out);
        return out;
    }

    private static void collect(Expr e, List<VectorSelector> out) {
        if (e instanceof VectorSelector vs) out.add(vs);
        else if (e instanceof MatrixSelector ms) out.add(ms.selector());
        else if (e instanceof SubqueryExpr sq) collect(sq.expr(), out);
        else if (e instanceof ParenExpr p) collect(p.expr(), out);
        else if (e instanceof StepInvariantExpr s) collect(s.expr(), out);
        else if (e instanceof UnaryExpr u) collect(u.expr(), out);
        else if (e instanceof BinaryExpr b) {
            collect(b.lhs(), out);
            collect(b.rhs(), out);
        } else if (e instanceof AggregateExpr a) {
            collect(a.expr(), out);
            if (a.param() != null) collect(a.param(), out);
        } else if (e instanceof Call c) {
            for (Expr arg : c.args()) collect(arg, out);
        }
    }
}
