package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.eval.Values.ScalarV;
import io.flinkruler.promql.eval.Values.Smp;
import io.flinkruler.promql.eval.Values.StringV;
import io.flinkruler.promql.eval.Values.Val;
import io.flinkruler.promql.eval.Values.VectorV;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The one table of PromQL functions (name to implementation), as Prometheus's functions.go: range
 * functions run per series ({@link RangeFunctions}); the others run in the per-rule step on
 * evaluated arguments.
 */
final class FunctionTable {
    private FunctionTable() {}

    /** An instant function: arguments already evaluated at time t. */
    @FunctionalInterface
    interface InstantFunction {
        Val apply(RuleEvaluator ev, PlanNode.Call call, Val[] args, long t);
    }

    /** Exactly one of range/instant is set. */
    record Def(String name, RangeFunction range, InstantFunction instant) {}

    private static final Map<String, Def> TABLE = new HashMap<>();

    private static void range(String name, RangeFunction f) { TABLE.put(name, new Def(name, f, null)); }

    private static void instant(String name, InstantFunction f) { TABLE.put(name, new Def(name, null, f)); }

    private static void simple(String name, DoubleUnaryOperator f) {
        instant(name, (ev, c, a, t) -> mapFloats(a[0], f));
    }

    static {
        range("rate", RangeFunctions::rate);
        range("increase", RangeFunctions::increase);
        range("delta", RangeFunctions::delta);
        range("irate", RangeFunctions::irate);
        range("idelta", RangeFunctions::idelta);
        range("deriv", RangeFunctions::deriv);
        range("predict_linear", RangeFunctions::predictLinear);
        range("double_exponential_smoothing", RangeFunctions::doubleExponentialSmoothing);
        range("holt_winters", RangeFunctions::doubleExponentialSmoothing);
        range("avg_over_time", RangeFunctions::avgOverTime);
        range("sum_over_time", RangeFunctions::sumOverTime);
        range("count_over_time", RangeFunctions::countOverTime);
        range("min_over_time", RangeFunctions::minOverTime);
        range("max_over_time", RangeFunctions::maxOverTime);
        range("last_over_time", RangeFunctions::lastOverTime);
        range("first_over_time", RangeFunctions::firstOverTime);
        range("present_over_time", RangeFunctions::presentOverTime);
        range("stddev_over_time", RangeFunctions::stddevOverTime);
        range("stdvar_over_time", RangeFunctions::stdvarOverTime);
        range("quantile_over_time", RangeFunctions::quantileOverTime);
        range("mad_over_time", RangeFunctions::madOverTime);
        range("ts_of_first_over_time", RangeFunctions::tsOfFirstOverTime);
        range("ts_of_last_over_time", RangeFunctions::tsOfLastOverTime);
        range("ts_of_max_over_time", RangeFunctions::tsOfMaxOverTime);
        range("ts_of_min_over_time", RangeFunctions::tsOfMinOverTime);
        range("changes", RangeFunctions::changes);
        range("resets", RangeFunctions::resets);

        simple("abs", Math::abs);
        simple("ceil", Math::ceil);
        simple("floor", Math::floor);
        simple("exp", Math::exp);
        simple("sqrt", Math::sqrt);
        simple("ln", Math::log);
        simple("log2", FunctionTable::log2);
        simple("log10", x -> Math.log(x) * (1 / Math.log(10)));
        simple("sin", Math::sin);
        simple("cos", Math::cos);
        simple("tan", Math::tan);
        simple("asin", Math::asin);
        simple("acos", Math::acos);
        simple("atan", Math::atan);
        simple("sinh", Math::sinh);
        simple("cosh", Math::cosh);
        simple("tanh", Math::tanh);
        simple("asinh", FunctionTable::asinh);
        simple("acosh", x -> x < 1 ? Double.NaN : x == 1 ? 0 : Math.log(x + Math.sqrt(x * x - 1)));
        simple("atanh", FunctionTable::atanh);
        simple("rad", x -> x * Math.PI / 180);
        simple("deg", x -> x * 180 / Math.PI);
        simple("sgn", x -> x < 0 ? -1 : x > 0 ? 1 : x);
        instant("round", (ev, c, a, t) -> {
            double toNearest = a.length >= 2 ? RuleEvaluator.scalarOf(a[1]) : 1;
            double inv = 1.0 / toNearest;
            return mapFloats(a[0], f -> Math.floor(f * inv + 0.5) / inv);
        });
        instant("clamp", (ev, c, a, t) -> clamp(a[0], RuleEvaluator.scalarOf(a[1]), RuleEvaluator.scalarOf(a[2])));
        instant("clamp_max", (ev, c, a, t) -> clamp(a[0], Double.NEGATIVE_INFINITY, RuleEvaluator.scalarOf(a[1])));
        instant("clamp_min", (ev, c, a, t) -> clamp(a[0], RuleEvaluator.scalarOf(a[1]), Double.POSITIVE_INFINITY));
        instant("pi", (ev, c, a, t) -> new ScalarV(Math.PI));
        instant("time", (ev, c, a, t) -> new ScalarV(t / 1000.0));
        instant("max_of", (ev, c, a, t) -> new ScalarV(Math.max(RuleEvaluator.scalarOf(a[0]), RuleEvaluator.scalarOf(a[1]))));
        instant("min_of", (ev, c, a, t) -> new ScalarV(Math.min(RuleEvaluator.scalarOf(a[0]), RuleEvaluator.scalarOf(a[1]))));
        instant("vector", (ev, c, a, t) -> new VectorV(new ArrayList<>(List.of(new Smp(Labels.EMPTY, RuleEvaluator.scalarOf(a[0]), false)))));
        instant("scalar", (ev, c, a, t) -> {
            List<Smp> v = samples(a[0]);
            return new ScalarV(v.size() == 1 ? v.get(0).f() : Double.NaN);
        });
        instant("timestamp", (ev, c, a, t) -> {
            List<Smp> out = new ArrayList<>();
            for (Smp s : samples(a[0])) out.add(new Smp(s.metric(), t / 1000.0, true));
            return new VectorV(out);
        });
        instant("sort", (ev, c, a, t) -> sorted(ev, c, a[0], true));
        instant("sort_desc", (ev, c, a, t) -> sorted(ev, c, a[0], false));
        instant("sort_by_label", (ev, c, a, t) -> sortByLabel(ev, c, a, false));
        instant("sort_by_label_desc", (ev, c, a, t) -> sortByLabel(ev, c, a, true));
        instant("absent", (ev, c, a, t) -> absent(c, a[0]));
        instant("absent_over_time", (ev, c, a, t) -> absent(c, a[0]));
        instant("label_replace", FunctionTable::labelReplace);
        instant("label_join", FunctionTable::labelJoin);
        instant("histogram_quantile", HistogramQuantile::apply);
        for (String nativeOnly : List.of("histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev",
                "histogram_stdvar", "histogram_fraction", "histogram_quantiles")) {
            // These read native histograms only; float samples are ignored.
            instant(nativeOnly, (ev, c, a, t) -> new VectorV(new ArrayList<>()));
        }
        date("days_in_month", d -> d.toLocalDate().lengthOfMonth());
        date("day_of_month", LocalDateTime::getDayOfMonth);
        date("day_of_week", d -> d.getDayOfWeek().getValue() % 7);
        date("day_of_year", LocalDateTime::getDayOfYear);
        date("hour", LocalDateTime::getHour);
        date("minute", LocalDateTime::getMinute);
        date("month", LocalDateTime::getMonthValue);
        date("year", LocalDateTime::getYear);
    }

    static Def get(String name) { return TABLE.get(name); }

    /** Prometheus's info annotation for rate/increase over a series whose name does not look like a counter. */
    static void noteCounterUse(String function, String metricName, int position, AnnotationSink sink) {
        if (!"rate".equals(function) && !"increase".equals(function)) return;
        if (metricName.isEmpty()) return;
        if (metricName.endsWith("_total") || metricName.endsWith("_sum") || metricName.endsWith("_count") || metricName.endsWith("_bucket")) return;
        sink.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: " + RuleEvaluator.goQuote(metricName), position);
    }

    static List<Smp> samples(Val v) { return ((VectorV) v).samples(); }

    private static Val mapFloats(Val v, DoubleUnaryOperator f) {
        List<Smp> in = samples(v);
        List<Smp> out = new ArrayList<>(in.size());
        for (Smp s : in) out.add(new Smp(s.metric(), f.applyAsDouble(s.f()), true));
        return new VectorV(out);
    }

    private static Val clamp(Val v, double min, double max) {
        if (max < min) return new VectorV(new ArrayList<>());
        return mapFloats(v, f -> Math.max(min, Math.min(max, f)));
    }

    /** Go's math.Log2: exact for powers of two. */
    static double log2(double x) {
        if (x > 0 && !Double.isInfinite(x)) {
            int exp = Math.getExponent(x);
            if (exp >= Double.MIN_EXPONENT && x == Math.scalb(1.0, exp)) return exp;
            double frac = x / Math.scalb(1.0, exp + 1);
            return Math.log(frac) * (1 / Math.log(2)) + (exp + 1);
        }
        return Math.log(x) / Math.log(2);
    }

    static double asinh(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) return x;
        double ax = Math.abs(x);
        double r = Math.log(ax + Math.sqrt(ax * ax + 1));
        return x < 0 ? -r : r;
    }

    static double atanh(double x) {
        if (x < -1 || x > 1 || Double.isNaN(x)) return Double.NaN;
        if (x == 1) return Double.POSITIVE_INFINITY;
        if (x == -1) return Double.NEGATIVE_INFINITY;
        return 0.5 * Math.log((1 + x) / (1 - x));
    }

    private static void date(String name, java.util.function.ToIntFunction<LocalDateTime> f) {
        instant(name, (ev, c, a, t) -> {
            if (a.length == 0) {
                return new VectorV(new ArrayList<>(List.of(new Smp(Labels.EMPTY, f.applyAsInt(utc((long) Math.floor(t / 1000.0))), false))));
            }
            List<Smp> out = new ArrayList<>();
            for (Smp s : samples(a[0])) {
                double v = s.f();
                double r;
                if (Double.isNaN(v) || Double.isInfinite(v)) r = f.applyAsInt(utc(Long.MIN_VALUE / 1000));
                else r = f.applyAsInt(utc((long) v));
                out.add(new Smp(s.metric(), r, true));
            }
            return new VectorV(out);
        });
    }

    private static LocalDateTime utc(long epochSeconds) {
        return LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    }

    private static Val sorted(RuleEvaluator ev, PlanNode.Call c, Val v, boolean ascending) {
        noteSortInRange(ev, c);
        List<Smp> out = new ArrayList<>(samples(v));
        GoHeap.sortReverse(out, ascending);
        return new VectorV(out);
    }

    private static void noteSortInRange(RuleEvaluator ev, PlanNode.Call c) {
        if (ev.query.isRange()) ev.annotations.warn("sort is ineffective for range queries since results are always ordered by labels", c.position());
    }

    private static Val sortByLabel(RuleEvaluator ev, PlanNode.Call c, Val[] a, boolean desc) {
        noteSortInRange(ev, c);
        List<String> names = new ArrayList<>();
        for (int i = 1; i < a.length; i++) names.add(((StringV) a[i]).s());
        List<Smp> out = new ArrayList<>(samples(a[0]));
        out.sort((x, y) -> {
            for (String n : names) {
                String lv1 = x.metric().get(n), lv2 = y.metric().get(n);
                if (lv1.equals(lv2)) continue;
                int cmp = NaturalOrder.compare(lv1, lv2) ? -1 : 1;
                return desc ? -cmp : cmp;
            }
            int cmp = x.metric().compareTo(y.metric());
            return desc ? -cmp : cmp;
        });
        return new VectorV(out);
    }

    private static Val absent(PlanNode.Call c, Val v) {
        if (!samples(v).isEmpty()) return new VectorV(new ArrayList<>());
        return new VectorV(new ArrayList<>(List.of(new Smp(c.absentLabels(), 1, c.name().equals("absent_over_time")))));
    }

    /** A label name Prometheus accepts: non-empty valid UTF-8 (the parser maps invalid bytes to U+FFFD). */
    static boolean isValidLabelName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\uFFFD') return false;
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(ch)) {
                return false;
            }
        }
        return true;
    }

    private static Val labelReplace(RuleEvaluator ev, PlanNode.Call c, Val[] a, long t) {
        String dst = ((StringV) a[1]).s(), repl = ((StringV) a[2]).s(), src = ((StringV) a[3]).s(), regex = ((StringV) a[4]).s();
        Pattern p;
        try {
            p = Pattern.compile("^(?s:" + GoRegex.toJava(regex) + ")$");
        } catch (PatternSyntaxException e) {
            throw new EvalError("invalid regular expression in label_replace(): " + regex);
        }
        if (!isValidLabelName(dst)) throw new EvalError("invalid destination label name in label_replace(): " + dst);
        List<Smp> out = new ArrayList<>();
        for (Smp s : samples(a[0])) {
            String srcVal = s.metric().get(src);
            Matcher m = p.matcher(srcVal);
            if (m.find()) {
                String res = GoRegex.expand(repl, m, p);
                boolean drop = dst.equals(Labels.METRIC_NAME) ? false : s.dropName();
                out.add(new Smp(s.metric().with(dst, res), s.f(), drop));
            } else {
                out.add(s);
            }
        }
        checkDuplicates(out);
        return new VectorV(out);
    }

    private static Val labelJoin(RuleEvaluator ev, PlanNode.Call c, Val[] a, long t) {
        String dst = ((StringV) a[1]).s(), sep = ((StringV) a[2]).s();
        List<String> srcs = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            String src = ((StringV) a[i]).s();
            if (!isValidLabelName(src)) throw new EvalError("invalid source label name in label_join(): " + src);
            srcs.add(src);
        }
        if (!isValidLabelName(dst)) throw new EvalError("invalid destination label name in label_join(): " + dst);
        List<Smp> out = new ArrayList<>();
        for (Smp s : samples(a[0])) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < srcs.size(); i++) {
                if (i > 0) sb.append(sep);
                sb.append(s.metric().get(srcs.get(i)));
            }
            boolean drop = dst.equals(Labels.METRIC_NAME) ? false : s.dropName();
            out.add(new Smp(s.metric().with(dst, sb.toString()), s.f(), drop));
        }
        checkDuplicates(out);
        return new VectorV(out);
    }

    static void checkDuplicates(List<Smp> v) {
        java.util.HashSet<Labels> seen = new java.util.HashSet<>();
        for (Smp s : v) if (!seen.add(s.metric())) throw new EvalError("vector cannot contain metrics with the same labelset");
    }
}
