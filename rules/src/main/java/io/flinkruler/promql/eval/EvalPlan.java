package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.ast.AggregateExpr;
import io.flinkruler.promql.ast.AtModifier;
import io.flinkruler.promql.ast.BinaryExpr;
import io.flinkruler.promql.ast.Call;
import io.flinkruler.promql.ast.Expr;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.ast.MatrixSelector;
import io.flinkruler.promql.ast.NumberLiteral;
import io.flinkruler.promql.ast.ParenExpr;
import io.flinkruler.promql.ast.StepInvariantExpr;
import io.flinkruler.promql.ast.StringLiteral;
import io.flinkruler.promql.ast.SubqueryExpr;
import io.flinkruler.promql.ast.UnaryExpr;
import io.flinkruler.promql.ast.ValueType;
import io.flinkruler.promql.ast.VectorSelector;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A rule expression compiled once: the leaves (parts computable from one series, evaluated by
 * {@link SeriesStep} in each shard) and the tree above them (evaluated by {@link RuleStep} on the
 * merged leaf values). Immutable and shareable between threads.
 */
public final class EvalPlan {
    private final Expr expr;
    private final EvalOptions options;
    private final PlanNode root;
    private final List<Leaf> leaves;
    private final long retentionMs;
    private final boolean needsSamplesAfter;

    private EvalPlan(Expr expr, EvalOptions options, PlanNode root, List<Leaf> leaves, long retentionMs, boolean needsSamplesAfter) {
        this.expr = expr;
        this.options = options;
        this.root = root;
        this.leaves = List.copyOf(leaves);
        this.retentionMs = retentionMs;
        this.needsSamplesAfter = needsSamplesAfter;
    }

    public static EvalPlan compile(Expr expr, EvalOptions options) {
        Compiler c = new Compiler(options);
        PlanNode root = c.compile(expr);
        return new EvalPlan(expr, options, root, c.leaves, c.retention(root), c.needsSamplesAfter);
    }

    /** How far before an evaluation timestamp samples can still change its result. */
    public long retentionMs() { return retentionMs; }

    /** True if samples after the evaluation timestamp can matter (negative offset, {@code @}). */
    public boolean needsSamplesAfter() { return needsSamplesAfter; }

    public Expr expr() { return expr; }

    public EvalOptions options() { return options; }

    PlanNode root() { return root; }

    List<Leaf> leaves() { return leaves; }

    int leafCount() { return leaves.size(); }

    /** For each leaf, the ascending query times it must be evaluated at for this evaluation. */
    long[][] leafTimes(QueryTimes q) {
        @SuppressWarnings("unchecked")
        TreeSet<Long>[] sets = new TreeSet[leaves.size()];
        for (int i = 0; i < sets.length; i++) sets[i] = new TreeSet<>();
        collect(root, new long[] {q.evalTs()}, q, sets);
        long[][] out = new long[sets.length][];
        for (int i = 0; i < sets.length; i++) {
            long[] a = new long[sets[i].size()];
            int k = 0;
            for (long t : sets[i]) a[k++] = t;
            out[i] = a;
        }
        return out;
    }

    private void collect(PlanNode n, long[] times, QueryTimes q, TreeSet<Long>[] sets) {
        if (n instanceof PlanNode.LeafRef l) {
            for (long t : times) sets[l.leaf().index].add(t);
        } else if (n instanceof PlanNode.Subquery s) {
            collect(s.inner(), subqueryTimes(s, times, q), q, sets);
        } else if (n instanceof PlanNode.RangeCall r) {
            for (PlanNode a : r.args()) collect(a, times, q, sets);
        } else if (n instanceof PlanNode.Call c) {
            for (PlanNode a : c.args()) collect(a, times, q, sets);
        } else if (n instanceof PlanNode.Aggregate a) {
            collect(a.expr(), times, q, sets);
            if (a.param() != null) collect(a.param(), times, q, sets);
        } else if (n instanceof PlanNode.Binary b) {
            collect(b.lhs(), times, q, sets);
            collect(b.rhs(), times, q, sets);
        } else if (n instanceof PlanNode.Negate ng) {
            collect(ng.expr(), times, q, sets);
        }
    }

    long subqueryStep(PlanNode.Subquery s) {
        return s.stepMs() > 0 ? s.stepMs() : options.defaultSubqueryStepMs();
    }

    private long[] subqueryTimes(PlanNode.Subquery s, long[] outer, QueryTimes q) {
        TreeSet<Long> inner = new TreeSet<>();
        for (long t : outer) {
            long e = q.effective(s.at(), t);
            for (long x : QueryTimes.subqueryTimes(e, s.rangeMs(), subqueryStep(s), s.offsetMs())) inner.add(x);
        }
        long[] a = new long[inner.size()];
        int k = 0;
        for (long t : inner) a[k++] = t;
        return a;
    }

    /** Translates the AST into plan nodes, carving out leaves. */
    private static final class Compiler {
        final EvalOptions options;
        final List<Leaf> leaves = new ArrayList<>();
        boolean needsSamplesAfter;

        Compiler(EvalOptions options) { this.options = options; }

        PlanNode compile(Expr e) {
            if (e instanceof NumberLiteral n) return new PlanNode.Num(n.value());
            if (e instanceof StringLiteral s) return new PlanNode.Str(s.value());
            if (e instanceof ParenExpr p) return compile(p.expr());
            if (e instanceof StepInvariantExpr s) return compile(s.expr());
            if (e instanceof UnaryExpr u) return new PlanNode.Negate(compile(u.expr()));
            if (e instanceof VectorSelector vs) return leafRef(Leaf.Kind.INSTANT, vs, 0, null, null, new double[0], false, vs.pos().start(), 0);
            if (e instanceof MatrixSelector ms) {
                return leafRef(Leaf.Kind.RAW_RANGE, ms.selector(), ms.rangeMs(), null, null, new double[0], false, ms.pos().start(), 0);
            }
            if (e instanceof SubqueryExpr sq) {
                noteTime(sq.offsetMs(), sq.at());
                return new PlanNode.Subquery(compile(sq.expr()), sq.rangeMs(), sq.stepMs(), sq.offsetMs(), sq.at());
            }
            if (e instanceof AggregateExpr a) {
                return new PlanNode.Aggregate(a.op(), compile(a.expr()), a.param() == null ? null : compile(a.param()),
                        a.grouping(), a.without(), a.expr().pos().start(), a.param() == null ? 0 : a.param().pos().start());
            }
            if (e instanceof BinaryExpr b) {
                return new PlanNode.Binary(b.op(), compile(b.lhs()), compile(b.rhs()), b.matching(), b.returnBool(), b.pos().start());
            }
            if (e instanceof Call c) return compileCall(c);
            throw new IllegalArgumentException("unsupported expression " + e);
        }

        private void noteTime(long offsetMs, AtModifier at) {
            if (offsetMs < 0 || at != null) needsSamplesAfter = true;
        }

        private PlanNode.LeafRef leafRef(Leaf.Kind kind, VectorSelector vs, long rangeMs, String fn, RangeFunction f, double[] params,
                                         boolean dropName, int selectorPos, int paramPos) {
            noteTime(vs.offsetMs(), vs.at());
            Leaf leaf = new Leaf(leaves.size(), kind, vs, rangeMs, fn, f, params, dropName, selectorPos, paramPos);
            leaves.add(leaf);
            return new PlanNode.LeafRef(leaf);
        }

        private PlanNode compileCall(Call c) {
            String name = c.function().name();
            List<Expr> args = new ArrayList<>();
            for (Expr a : c.args()) args.add(unwrap(a));
            switch (name) {
                case "start", "end", "range", "step":
                    return new PlanNode.QueryConstant(name);
                case "timestamp":
                    if (args.get(0) instanceof VectorSelector vs) {
                        return leafRef(Leaf.Kind.TIMESTAMP, vs, 0, name, null, new double[0], true, vs.pos().start(), 0);
                    }
                    break;
                case "absent_over_time": {
                    FunctionTable.Def present = FunctionTable.get("present_over_time");
                    PlanNode presence = compileRangeCall("present_over_time", present, args, c);
                    return new PlanNode.Call(name, FunctionTable.get(name), List.of(presence), ValueType.VECTOR,
                            absentLabels(args.get(0)), c.pos().start(), positions(args));
                }
                default:
                    break;
            }
            FunctionTable.Def def = FunctionTable.get(name);
            if (def == null) throw new IllegalArgumentException("unknown function: " + name);
            if (def.range() != null) return compileRangeCall(name, def, args, c);
            List<PlanNode> compiled = new ArrayList<>();
            for (Expr a : args) compiled.add(compile(a));
            Labels absent = name.equals("absent") ? absentLabels(args.get(0)) : null;
            return new PlanNode.Call(name, def, compiled, c.function().returnType(), absent, c.pos().start(), positions(args));
        }

        private static List<Integer> positions(List<Expr> args) {
            List<Integer> p = new ArrayList<>();
            for (Expr a : args) p.add(a.pos().start());
            return p;
        }

        private PlanNode compileRangeCall(String name, FunctionTable.Def def, List<Expr> args, Call c) {
            int matrixArg = -1;
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).type() == ValueType.MATRIX) {
                    matrixArg = i;
                    break;
                }
            }
            if (matrixArg < 0) throw new IllegalArgumentException(name + " needs a range vector argument");
            Expr m = args.get(matrixArg);
            int paramPos = args.get(0).pos().start();
            boolean dropName = !name.equals("last_over_time") && !name.equals("first_over_time");
            double[] params = new double[args.size() - 1];
            boolean constant = true;
            for (int i = 0, k = 0; i < args.size(); i++) {
                if (i == matrixArg) continue;
                Double v = constantValue(args.get(i));
                if (v == null) constant = false;
                else params[k] = v;
                k++;
            }
            if (m instanceof MatrixSelector ms && constant) {
                return leafRef(Leaf.Kind.RANGE_FUNCTION, ms.selector(), ms.rangeMs(), name, def.range(), params, dropName,
                        ms.pos().start(), paramPos);
            }
            List<PlanNode> compiled = new ArrayList<>();
            for (Expr a : args) compiled.add(compile(a));
            long rangeMs, offsetMs;
            AtModifier at;
            if (m instanceof MatrixSelector ms) {
                rangeMs = ms.rangeMs();
                offsetMs = ms.selector().offsetMs();
                at = ms.selector().at();
            } else if (m instanceof SubqueryExpr sq) {
                rangeMs = sq.rangeMs();
                offsetMs = sq.offsetMs();
                at = sq.at();
            } else {
                throw new IllegalArgumentException("unsupported range argument of " + name);
            }
            return new PlanNode.RangeCall(name, def, compiled, matrixArg, rangeMs, offsetMs, at, m.pos().start(), paramPos);
        }

        private static Expr unwrap(Expr e) {
            while (true) {
                if (e instanceof ParenExpr p) e = p.expr();
                else if (e instanceof StepInvariantExpr s) e = s.expr();
                else return e;
            }
        }

        private static Double constantValue(Expr e) {
            e = unwrap(e);
            if (e instanceof NumberLiteral n) return n.value();
            if (e instanceof UnaryExpr u) {
                Double v = constantValue(u.expr());
                return v == null ? null : -v;
            }
            return null;
        }

        /** absent()'s output labels: the equality matchers (except the name) that occur once. */
        private static Labels absentLabels(Expr e) {
            List<LabelMatcher> lm;
            if (e instanceof VectorSelector vs) lm = vs.matchers();
            else if (e instanceof MatrixSelector ms) lm = ms.selector().matchers();
            else return Labels.EMPTY;
            Labels.Builder b = new Labels.Builder();
            Set<String> has = new HashSet<>();
            for (LabelMatcher m : lm) {
                if (m.name().equals(Labels.METRIC_NAME)) continue;
                if (m.type() == LabelMatcher.Type.EQ && !has.contains(m.name())) {
                    b.set(m.name(), m.value());
                    has.add(m.name());
                } else {
                    b.remove(m.name());
                }
            }
            return b.build();
        }

        long retention(PlanNode n) {
            if (n instanceof PlanNode.LeafRef l) {
                Leaf leaf = l.leaf();
                boolean instant = leaf.kind == Leaf.Kind.INSTANT || leaf.kind == Leaf.Kind.TIMESTAMP;
                return Math.max(0, leaf.offsetMs()) + (instant ? options.lookbackDeltaMs() : leaf.rangeMs);
            }
            if (n instanceof PlanNode.Subquery s) return Math.max(0, s.offsetMs()) + s.rangeMs() + retention(s.inner());
            if (n instanceof PlanNode.RangeCall r) return maxOf(r.args());
            if (n instanceof PlanNode.Call c) return maxOf(c.args());
            if (n instanceof PlanNode.Aggregate a) return Math.max(retention(a.expr()), a.param() == null ? 0 : retention(a.param()));
            if (n instanceof PlanNode.Binary b) return Math.max(retention(b.lhs()), retention(b.rhs()));
            if (n instanceof PlanNode.Negate ng) return retention(ng.expr());
            return 0;
        }

        private long maxOf(List<PlanNode> nodes) {
            long m = 0;
            for (PlanNode p : nodes) m = Math.max(m, retention(p));
            return m;
        }
    }
}
