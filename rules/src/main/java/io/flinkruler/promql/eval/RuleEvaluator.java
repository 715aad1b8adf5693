package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.ast.AggregateOp;
import io.flinkruler.promql.ast.BinaryOp;
import io.flinkruler.promql.ast.ValueType;
import io.flinkruler.promql.ast.VectorMatching;
import io.flinkruler.promql.eval.Values.MatrixV;
import io.flinkruler.promql.eval.Values.ScalarV;
import io.flinkruler.promql.eval.Values.Ser;
import io.flinkruler.promql.eval.Values.Smp;
import io.flinkruler.promql.eval.Values.StringV;
import io.flinkruler.promql.eval.Values.Val;
import io.flinkruler.promql.eval.Values.VectorV;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a plan's tree at one query time from merged leaf values, with Prometheus's semantics
 * for operators, aggregations and functions over vectors.
 */
final class RuleEvaluator {
    final EvalPlan plan;
    final LeafValues leaves;
    final QueryTimes query;
    final AnnotationSink annotations = new AnnotationSink();
    private final RangeInput rangeInput = new RangeInput();

    RuleEvaluator(EvalPlan plan, LeafValues leaves, QueryTimes query) {
        this.plan = plan;
        this.leaves = leaves;
        this.query = query;
        rangeInput.annotations = annotations;
    }

    Val eval(PlanNode node, long t) {
        if (node instanceof PlanNode.Num n) return new ScalarV(n.value());
        if (node instanceof PlanNode.Str s) return new StringV(s.value());
        if (node instanceof PlanNode.QueryConstant c) {
            return new ScalarV(switch (c.name()) {
                case "start" -> query.startTs() / 1000.0;
                case "end" -> query.endTs() / 1000.0;
                case "range" -> (query.endTs() - query.startTs()) / 1000.0;
                default -> query.isRange() ? query.stepMs() / 1000.0 : 0;
            });
        }
        if (node instanceof PlanNode.LeafRef l) return leafValue(l.leaf(), t);
        if (node instanceof PlanNode.Subquery s) return subquery(s, t);
        if (node instanceof PlanNode.RangeCall r) return rangeCall(r, t);
        if (node instanceof PlanNode.Call c) return call(c, t);
        if (node instanceof PlanNode.Aggregate a) return aggregate(a, t);
        if (node instanceof PlanNode.Binary b) return binary(b, t);
        if (node instanceof PlanNode.Negate n) return negate(eval(n.expr(), t));
        throw new IllegalStateException("unknown plan node " + node);
    }

    // ---------------------------------------------------------------- leaves and ranges

    private Val leafValue(Leaf leaf, long t) {
        LeafData d = leaves.leaves[leaf.index];
        int k = d.timeIndex(t);
        if (leaf.kind == Leaf.Kind.RAW_RANGE) {
            List<Ser> out = new ArrayList<>(k < 0 ? 0 : d.seriesCount);
            if (k < 0) return new MatrixV(out);
            for (int s : d.sortedOrder()) {
                int from = d.rawOffsets[s][k], to = d.rawOffsets[s][k + 1];
                if (from == to) continue;
                Ser ser = new Ser(d.labels[s], false);
                for (int i = from; i < to; i++) ser.add(d.rawTs[s][i], d.rawVs[s][i]);
                out.add(ser);
            }
            return new MatrixV(out);
        }
        List<Smp> out = new ArrayList<>(k < 0 ? 0 : d.seriesCount);
        if (k < 0) return new VectorV(out);
        for (int s : d.sortedOrder()) {
            if (d.has(s, k)) out.add(new Smp(d.labels[s], d.get(s, k), leaf.dropName));
        }
        return new VectorV(out);
    }

    private Val subquery(PlanNode.Subquery s, long t) {
        long e = query.effective(s.at(), t);
        long[] times = QueryTimes.subqueryTimes(e, s.rangeMs(), plan.subqueryStep(s), s.offsetMs());
        Map<Labels, Ser> series = new LinkedHashMap<>();
        for (long ti : times) {
            Val v = eval(s.inner(), ti);
            if (v instanceof ScalarV sv) {
                series.computeIfAbsent(Labels.EMPTY, l -> new Ser(l, false)).add(ti, sv.v());
                continue;
            }
            for (Smp smp : ((VectorV) v).samples()) {
                Ser ser = series.computeIfAbsent(smp.metric(), l -> new Ser(l, smp.dropName()));
                if (ser.n > 0 && ser.t[ser.n - 1] == ti) throw new EvalError("vector cannot contain metrics with the same labelset");
                ser.add(ti, smp.f());
            }
        }
        List<Ser> out = new ArrayList<>(series.values());
        out.sort((a, b) -> a.metric.compareTo(b.metric));
        return new MatrixV(out);
    }

    private Val rangeCall(PlanNode.RangeCall r, long t) {
        MatrixV m = (MatrixV) eval(r.args().get(r.matrixArg()), t);
        double[] params = new double[r.args().size() - 1];
        for (int i = 0, k = 0; i < r.args().size(); i++) {
            if (i == r.matrixArg()) continue;
            params[k++] = scalarOf(eval(r.args().get(i), t));
        }
        long e = query.effective(r.at(), t);
        long rangeEnd = e - r.offsetMs();
        boolean fnDropsName = !r.name().equals("last_over_time") && !r.name().equals("first_over_time");
        RangeInput in = rangeInput;
        List<Smp> out = new ArrayList<>();
        for (Ser s : m.series()) {
            in.ensureCapacity(s.n);
            System.arraycopy(s.t, 0, in.ts, 0, s.n);
            System.arraycopy(s.v, 0, in.vs, 0, s.n);
            in.n = s.n;
            if (in.n == 0) continue;
            in.rangeStart = rangeEnd - r.rangeMs();
            in.rangeEnd = rangeEnd;
            in.rangeMs = r.rangeMs();
            in.evalTs = t;
            in.params = params;
            in.paramPosition = r.paramPosition();
            in.metricName = s.metric.metricName();
            if (r.def().range().apply(in)) {
                out.add(new Smp(s.metric, in.result, fnDropsName || s.dropName));
                FunctionTable.noteCounterUse(r.name(), s.metric.metricName(), r.selectorPosition(), annotations);
            }
        }
        return new VectorV(out);
    }

    static double scalarOf(Val v) {
        if (v instanceof ScalarV s) return s.v();
        throw new EvalError("expected a scalar");
    }

    // ---------------------------------------------------------------- functions

    private Val call(PlanNode.Call c, long t) {
        Val[] args = new Val[c.args().size()];
        for (int i = 0; i < args.length; i++) args[i] = eval(c.args().get(i), t);
        return c.def().instant().apply(this, c, args, t);
    }

    // ---------------------------------------------------------------- unary minus

    private Val negate(Val v) {
        if (v instanceof ScalarV s) return new ScalarV(-s.v());
        if (v instanceof MatrixV m) {
            for (Ser s : m.series()) {
                s.dropName = true;
                for (int i = 0; i < s.n; i++) s.v[i] = -s.v[i];
            }
            return m;
        }
        List<Smp> out = new ArrayList<>();
        for (Smp s : ((VectorV) v).samples()) out.add(new Smp(s.metric(), -s.f(), true));
        return new VectorV(out);
    }

    // ---------------------------------------------------------------- binary operators

    private Val binary(PlanNode.Binary b, long t) {
        Val l = eval(b.lhs(), t);
        Val r = eval(b.rhs(), t);
        BinaryOp op = b.op();
        if (l instanceof ScalarV ls && r instanceof ScalarV rs) return new ScalarV(scalarBinop(op, ls.v(), rs.v()));
        if (l instanceof VectorV lv && r instanceof ScalarV rs) return vectorScalar(op, lv.samples(), rs.v(), false, b.returnBool());
        if (l instanceof ScalarV ls && r instanceof VectorV rv) return vectorScalar(op, rv.samples(), ls.v(), true, b.returnBool());
        List<Smp> lhs = ((VectorV) l).samples();
        List<Smp> rhs = ((VectorV) r).samples();
        VectorMatching matching = b.matching();
        if (matching == null) {
            matching = new VectorMatching(op.isSetOperator() ? VectorMatching.Cardinality.MANY_TO_MANY : VectorMatching.Cardinality.ONE_TO_ONE,
                    List.of(), false, List.of());
        }
        return switch (op) {
            case AND -> and(lhs, rhs, matching);
            case OR -> or(lhs, rhs, matching);
            case UNLESS -> unless(lhs, rhs, matching);
            default -> vectorBinop(op, lhs, rhs, matching, b.returnBool());
        };
    }

    static double scalarBinop(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> goPow(l, r);
            case MOD -> l % r;
            case EQLC -> l == r ? 1 : 0;
            case NEQ -> l != r ? 1 : 0;
            case GTR -> l > r ? 1 : 0;
            case LSS -> l < r ? 1 : 0;
            case GTE -> l >= r ? 1 : 0;
            case LTE -> l <= r ? 1 : 0;
            case ATAN2 -> Math.atan2(l, r);
            default -> throw new EvalError("operator \"" + op.symbol + "\" not allowed for Scalar operations");
        };
    }

    /** Go's math.Pow special cases where they differ from Java's. */
    static double goPow(double x, double y) {
        if (y == 0) return 1;
        if (x == 1) return 1;
        if (x == -1 && Double.isInfinite(y)) return 1;
        return Math.pow(x, y);
    }

    /** Returns the value and whether to keep the sample (comparisons filter). */
    private static boolean isArithmetic(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, POW, MOD, ATAN2 -> true;
            default -> false;
        };
    }

    private static double arith(BinaryOp op, double l, double r) { return scalarBinop(op, l, r); }

    private static boolean compare(BinaryOp op, double l, double r) {
        return switch (op) {
            case EQLC -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> throw new IllegalStateException();
        };
    }

    private Val vectorScalar(BinaryOp op, List<Smp> vec, double scalar, boolean swap, boolean returnBool) {
        List<Smp> out = new ArrayList<>(vec.size());
        for (Smp s : vec) {
            double lf = s.f(), rf = scalar;
            if (swap) {
                lf = scalar;
                rf = s.f();
            }
            double value;
            boolean keep;
            if (isArithmetic(op)) {
                value = arith(op, lf, rf);
                keep = true;
            } else {
                keep = compare(op, lf, rf);
                value = swap ? rf : lf;
            }
            if (returnBool) {
                value = keep ? 1 : 0;
                keep = true;
            }
            if (!keep) continue;
            boolean drop = s.dropName() || isArithmetic(op) || returnBool;
            out.add(new Smp(s.metric(), value, drop));
        }
        return new VectorV(out);
    }

    private static Labels matchLabels(Labels l, VectorMatching m) {
        Labels.Builder b = new Labels.Builder();
        Set<String> names = new HashSet<>(m.matchingLabels());
        for (int i = 0; i < l.size(); i++) {
            String n = l.name(i);
            boolean listed = names.contains(n);
            if (m.on() ? listed : (!listed && !n.equals(Labels.METRIC_NAME))) b.set(n, l.value(i));
        }
        return b.build();
    }

    /** Groups by the matching signature: the on() labels, or all but the ignoring() labels and the name. */
    private static LabelGroups matchingGroups(VectorMatching m) {
        return new LabelGroups(m.matchingLabels(), !m.on());
    }

    private Val and(List<Smp> lhs, List<Smp> rhs, VectorMatching m) {
        List<Smp> out = new ArrayList<>();
        if (lhs.isEmpty() || rhs.isEmpty()) return new VectorV(out);
        LabelGroups right = matchingGroups(m);
        for (Smp s : rhs) right.add(s.metric());
        for (Smp s : lhs) if (right.find(s.metric()) >= 0) out.add(s);
        return new VectorV(out);
    }

    private Val or(List<Smp> lhs, List<Smp> rhs, VectorMatching m) {
        List<Smp> out = new ArrayList<>(lhs);
        if (lhs.isEmpty() || rhs.isEmpty()) {
            out.addAll(rhs);
            return new VectorV(out);
        }
        LabelGroups left = matchingGroups(m);
        for (Smp s : lhs) left.add(s.metric());
        for (Smp s : rhs) if (left.find(s.metric()) < 0) out.add(s);
        return new VectorV(out);
    }

    private Val unless(List<Smp> lhs, List<Smp> rhs, VectorMatching m) {
        if (lhs.isEmpty() || rhs.isEmpty()) return new VectorV(new ArrayList<>(lhs));
        LabelGroups right = matchingGroups(m);
        for (Smp s : rhs) right.add(s.metric());
        List<Smp> out = new ArrayList<>();
        for (Smp s : lhs) if (right.find(s.metric()) < 0) out.add(s);
        return new VectorV(out);
    }

    private Val vectorBinop(BinaryOp op, List<Smp> lhs, List<Smp> rhs, VectorMatching m, boolean returnBool) {
        List<Smp> out = new ArrayList<>();
        if (lhs.isEmpty() || rhs.isEmpty()) return new VectorV(out);
        boolean oneToMany = m.card() == VectorMatching.Cardinality.ONE_TO_MANY;
        if (oneToMany) {
            List<Smp> tmp = lhs;
            lhs = rhs;
            rhs = tmp;
        }
        LabelGroups right = matchingGroups(m);
        Smp[] rightSamples = new Smp[rhs.size()];
        for (Smp rs : rhs) {
            int before = right.size();
            int g = right.add(rs.metric());
            Smp dup = g < before ? rightSamples[g] : null;
            if (dup == null) rightSamples[g] = rs;
            if (dup != null) {
                String d1 = promString(rs.metric()), d2 = promString(dup.metric());
                if (d1.compareTo(d2) > 0) {
                    String x = d1;
                    d1 = d2;
                    d2 = x;
                }
                throw new EvalError("found duplicate series for the match group " + promString(matchLabels(rs.metric(), m))
                        + " on the " + (oneToMany ? "left" : "right") + " hand-side of the operation: [" + d1 + ", " + d2
                        + "];many-to-many matching not allowed: matching labels must be unique on one side");
            }
        }
        boolean[] matchedOneToOne = new boolean[right.size()];
        List<Set<Labels>> matchedMany = new ArrayList<>();
        ResultMetric resultMetric = new ResultMetric(op, m);
        for (Smp ls : lhs) {
            int g = right.find(ls.metric());
            if (g < 0) continue;
            Smp rs = rightSamples[g];
            double fl = ls.f(), fr = rs.f();
            if (oneToMany) {
                fl = rs.f();
                fr = ls.f();
            }
            double value;
            boolean keep;
            if (isArithmetic(op)) {
                value = arith(op, fl, fr);
                keep = true;
            } else {
                keep = compare(op, fl, fr);
                value = fl;
            }
            if (returnBool) value = keep ? 1 : 0;
            Labels metric = resultMetric.of(ls.metric(), rs.metric());
            if (m.card() == VectorMatching.Cardinality.ONE_TO_ONE) {
                if (matchedOneToOne[g]) {
                    throw new EvalError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                }
                matchedOneToOne[g] = true;
            } else if (!matchedSet(matchedMany, g).add(metric)) {
                throw new EvalError("multiple matches for labels: grouping labels must ensure unique matches");
            }
            if (!keep && !returnBool) continue;
            out.add(new Smp(metric, value, returnBool));
        }
        return new VectorV(out);
    }

    private static Set<Labels> matchedSet(List<Set<Labels>> perGroup, int g) {
        while (perGroup.size() <= g) perGroup.add(null);
        Set<Labels> set = perGroup.get(g);
        if (set == null) perGroup.set(g, set = new HashSet<>());
        return set;
    }

    /**
     * The labels of a binary operation's result: the left side's, without the name (and type and unit)
     * for arithmetic, restricted to the on() labels or without the ignoring() ones for one-to-one
     * matching, then with the group_x() labels taken from the right side.
     */
    private static final class ResultMetric {
        private final boolean arithmetic;
        private final boolean oneToOne;
        private final boolean on;
        private final List<String> matching;
        private final List<String> include;
        private String[] lastNames;

        ResultMetric(BinaryOp op, VectorMatching m) {
            arithmetic = isArithmetic(op);
            oneToOne = m.card() == VectorMatching.Cardinality.ONE_TO_ONE;
            on = m.on();
            matching = m.matchingLabels();
            include = m.include();
        }

        private boolean keeps(String name, String value) {
            if (value.isEmpty()) return false;
            if (arithmetic && (name.equals(Labels.METRIC_NAME) || name.equals("__type__") || name.equals("__unit__"))) return false;
            if (oneToOne && matching.contains(name) != on) return false;
            return true;
        }

        Labels of(Labels lhs, Labels rhs) {
            int kept = 0;
            for (int i = 0; i < lhs.size(); i++) if (keeps(lhs.name(i), lhs.value(i))) kept++;
            Labels out = lhs;
            if (kept < lhs.size()) {
                // results mostly have the same label names: they share one array (label sets never change theirs)
                boolean sameNames = lastNames != null && lastNames.length == kept;
                String[] values = new String[kept];
                for (int i = 0, k = 0; i < lhs.size(); i++) {
                    if (!keeps(lhs.name(i), lhs.value(i))) continue;
                    if (sameNames && !lhs.name(i).equals(lastNames[k])) sameNames = false;
                    values[k++] = lhs.value(i);
                }
                if (!sameNames) {
                    lastNames = new String[kept];
                    for (int i = 0, k = 0; i < lhs.size(); i++) if (keeps(lhs.name(i), lhs.value(i))) lastNames[k++] = lhs.name(i);
                }
                out = Labels.ofSorted(lastNames, values);
            }
            for (String n : include) out = out.with(n, rhs.get(n));
            return out;
        }
    }

    /** Prometheus's labels.String(): {a="b", c="d"} including __name__. */
    static String promString(Labels l) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(l.name(i)).append('=').append(goQuote(l.value(i)));
        }
        return sb.append('}').toString();
    }

    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    // ---------------------------------------------------------------- aggregations

    private static final class Group {
        Labels labels;
        boolean seen;
        double value;
        double mean;
        double kahanC;
        double count;
        boolean incrementalMean;
        boolean dropName;
        double[] heapValues;
        int heapSize;
        List<Smp> kHeap;
    }

    private Val aggregate(PlanNode.Aggregate a, long t) {
        AggregateOp op = a.op();
        Val paramVal = a.param() == null ? null : eval(a.param(), t);
        List<Smp> input = ((VectorV) eval(a.expr(), t)).samples();
        List<String> grouping = new ArrayList<>(a.grouping());
        grouping.sort(null);
        if (op == AggregateOp.COUNT_VALUES) return countValues(a, ((StringV) paramVal).s(), grouping, input);
        double param = paramVal instanceof ScalarV sv ? sv.v() : Double.NaN;
        switch (op) {
            case TOPK, BOTTOMK, LIMITK -> {
                if (Double.isNaN(param)) throw new EvalError("Parameter value is NaN");
                if (param < 1) return new VectorV(new ArrayList<>());
                if (param >= 9.223372036854775807E18) throw new EvalError("Scalar value " + GoFloat.formatV(param) + " overflows int64");
                return aggregateK(a, (long) param, 0, grouping, input);
            }
            case LIMIT_RATIO -> {
                if (param == 0) return new VectorV(new ArrayList<>());
                if (Double.isNaN(param)) throw new EvalError("Ratio value is NaN");
                if (param > 1.0) annotations.warn("ratio value should be between -1 and 1, got " + GoFloat.formatG(param) + ", capping to 1", a.paramPosition());
                if (param < -1.0) annotations.warn("ratio value should be between -1 and 1, got " + GoFloat.formatG(param) + ", capping to -1", a.paramPosition());
                return aggregateK(a, 0, Math.max(-1, Math.min(1, param)), grouping, input);
            }
            case QUANTILE -> {
                if (Double.isNaN(param) || param < 0 || param > 1) {
                    annotations.warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(param), a.paramPosition());
                }
            }
            default -> { }
        }
        LabelGroups keys = new LabelGroups(grouping, a.without());
        List<Group> groups = new ArrayList<>();
        for (Smp s : input) {
            int key = keys.add(s.metric());
            Group g;
            if (key == groups.size()) {
                g = new Group();
                g.labels = groupingLabels(s.metric(), grouping, a.without());
                groups.add(g);
            } else {
                g = groups.get(key);
            }
            double f = s.f();
            if (!g.seen) {
                g.seen = true;
                g.value = f;
                g.mean = f;
                g.count = 1;
                g.dropName = s.dropName();
                switch (op) {
                    case STDVAR, STDDEV -> g.value = (Double.isNaN(f) || Double.isInfinite(f)) ? Double.NaN : 0;
                    case QUANTILE -> {
                        g.heapValues = new double[8];
                        g.heapValues[0] = f;
                        g.heapSize = 1;
                    }
                    case GROUP -> g.value = 1;
                    default -> { }
                }
                continue;
            }
            if (s.dropName()) g.dropName = true;
            switch (op) {
                case SUM -> {
                    Kahan k = new Kahan(g.value, g.kahanC);
                    k.add(f);
                    g.value = k.sum;
                    g.kahanC = k.c;
                }
                case AVG -> {
                    g.count++;
                    if (!g.incrementalMean) {
                        Kahan k = new Kahan(g.value, g.kahanC);
                        k.add(f);
                        if (!Double.isInfinite(k.sum)) {
                            g.value = k.sum;
                            g.kahanC = k.c;
                            break;
                        }
                        g.incrementalMean = true;
                        g.mean = g.value / (g.count - 1);
                        g.kahanC /= g.count - 1;
                    }
                    double q = (g.count - 1) / g.count;
                    Kahan k = new Kahan(q * g.mean, q * g.kahanC);
                    k.add(f / g.count);
                    g.mean = k.sum;
                    g.kahanC = k.c;
                }
                case GROUP -> { }
                case MAX -> {
                    if (g.value < f || Double.isNaN(g.value)) g.value = f;
                }
                case MIN -> {
                    if (g.value > f || Double.isNaN(g.value)) g.value = f;
                }
                case COUNT -> g.count++;
                case STDVAR, STDDEV -> {
                    g.count++;
                    double delta = f - g.mean;
                    g.mean += delta / g.count;
                    g.value += delta * (f - g.mean);
                }
                case QUANTILE -> {
                    if (g.heapSize == g.heapValues.length) g.heapValues = Arrays.copyOf(g.heapValues, g.heapSize * 2);
                    g.heapValues[g.heapSize++] = f;
                }
                default -> throw new IllegalStateException("unexpected aggregation " + op);
            }
        }
        List<Smp> out = new ArrayList<>(groups.size());
        for (Group g : groups) {
            double v = switch (op) {
                case AVG -> g.incrementalMean ? g.mean + g.kahanC : g.value / g.count + g.kahanC / g.count;
                case COUNT -> g.count;
                case STDVAR -> g.value / g.count;
                case STDDEV -> Math.sqrt(g.value / g.count);
                case QUANTILE -> RangeFunctions.quantile(param, g.heapValues, g.heapSize);
                case SUM -> g.value + g.kahanC;
                default -> g.value;
            };
            out.add(new Smp(g.labels, v, g.dropName));
        }
        return new VectorV(out);
    }

    static Labels groupingLabels(Labels l, List<String> grouping, boolean without) {
        if (without) {
            Labels.Builder b = l.toBuilder();
            for (String n : grouping) b.remove(n);
            b.remove(Labels.METRIC_NAME);
            return b.build();
        }
        if (grouping.isEmpty()) return Labels.EMPTY;
        Labels.Builder b = new Labels.Builder();
        for (String n : grouping) b.set(n, l.get(n));
        return b.build();
    }

    private Val countValues(PlanNode.Aggregate a, String valueLabel, List<String> grouping, List<Smp> input) {
        if (!FunctionTable.isValidLabelName(valueLabel)) throw new EvalError("invalid label name " + goQuote(valueLabel));
        List<String> g = new ArrayList<>(grouping);
        if (!a.without()) {
            g.add(valueLabel);
            g.sort(null);
        }
        LabelGroups keys = new LabelGroups(g, a.without());
        List<Labels> labels = new ArrayList<>();
        int[] counts = new int[input.size()];
        for (Smp s : input) {
            Labels metric = s.metric().with(valueLabel, GoFloat.formatPlain(s.f()));
            int key = keys.add(metric);
            if (key == labels.size()) labels.add(groupingLabels(metric, g, a.without()));
            counts[key]++;
        }
        List<Smp> out = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) out.add(new Smp(labels.get(i), counts[i], false));
        return new VectorV(out);
    }

    private Val aggregateK(PlanNode.Aggregate a, long kParam, double ratio, List<String> grouping, List<Smp> input) {
        AggregateOp op = a.op();
        long k = Math.min(kParam, input.size());
        LabelGroups keys = new LabelGroups(grouping, a.without());
        List<List<Smp>> groups = new ArrayList<>();
        for (Smp s : input) {
            int key = keys.add(s.metric());
            if (key == groups.size()) groups.add(new ArrayList<>());
            List<Smp> heap = groups.get(key);
            switch (op) {
                case TOPK -> {
                    if (heap.size() < k) GoHeap.push(heap, s, false);
                    else if (heap.get(0).f() < s.f() || (Double.isNaN(heap.get(0).f()) && !Double.isNaN(s.f()))) {
                        heap.set(0, s);
                        if (k > 1) GoHeap.fix(heap, 0, false);
                    }
                }
                case BOTTOMK -> {
                    if (heap.size() < k) GoHeap.push(heap, s, true);
                    else if (heap.get(0).f() > s.f() || (Double.isNaN(heap.get(0).f()) && !Double.isNaN(s.f()))) {
                        heap.set(0, s);
                        if (k > 1) GoHeap.fix(heap, 0, true);
                    }
                }
                case LIMITK -> {
                    if (heap.size() < k) heap.add(s);
                }
                case LIMIT_RATIO -> {
                    double offset = ratioOffset(s.metric());
                    if (offset < ratio || (ratio < 0 && offset >= 1.0 + ratio)) heap.add(s);
                }
                default -> throw new IllegalStateException();
            }
        }
        List<Smp> out = new ArrayList<>();
        for (List<Smp> heap : groups) {
            if (op == AggregateOp.TOPK && heap.size() > 1) GoHeap.sortReverse(heap, false);
            if (op == AggregateOp.BOTTOMK && heap.size() > 1) GoHeap.sortReverse(heap, true);
            out.addAll(heap);
        }
        return new VectorV(out);
    }

    /** A deterministic position in [0, 1) per label set for limit_ratio (Prometheus uses its label hash). */
    private static double ratioOffset(Labels l) {
        long h = l.stableHash();
        return (h >>> 11) * 0x1.0p-53;
    }
}
