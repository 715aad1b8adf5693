package io.flinkruler.promqltest;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.ast.Expr;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.ast.Selectors;
import io.flinkruler.promql.ast.VectorSelector;
import io.flinkruler.promql.eval.Annotation;
import io.flinkruler.promql.eval.EvalException;
import io.flinkruler.promql.eval.EvalOptions;
import io.flinkruler.promql.eval.EvalPlan;
import io.flinkruler.promql.eval.EvalResult;
import io.flinkruler.promql.eval.LeafValues;
import io.flinkruler.promql.eval.RuleStep;
import io.flinkruler.promql.eval.SeriesStep;
import io.flinkruler.promql.eval.SeriesStore;
import io.flinkruler.promql.parser.PromqlParseException;
import io.flinkruler.promql.parser.PromqlParser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Prometheus promqltest scripts ({@code load}, {@code clear}, {@code eval ...} with
 * {@code expect} lines) through the same classes the Flink job uses: the loaded series are split
 * into {@value #SHARDS} shards by label hash, each shard runs {@link SeriesStep}, the partial leaf
 * values are serialized, deserialized and merged, and {@link RuleStep} finishes. Range queries
 * evaluate every step that way. Native histogram cases are skipped with a reason; nothing else is.
 */
public final class PromqlTestRunner {
    static final int SHARDS = 3;
    private static final EvalOptions OPTIONS = new EvalOptions(5 * 60_000L, 60_000L);

    private static final Pattern LOAD = Pattern.compile("^load(?:_(with_nhcb))?\\s+(\\S+)\\s*$");
    private static final Pattern EVAL_INSTANT = Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(\\S+)\\s+)?(.+)$");
    private static final Pattern EVAL_RANGE =
            Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)\\s+(.+)$");
    private static final Pattern EXPECT = Pattern.compile("^expect\\s+(fail|warn|no_warn|info|no_info|ordered)(?:\\s+(msg|regex):(.*))?$");
    private static final Pattern EXPECT_RANGE_VECTOR = Pattern.compile("^expect range vector from (\\S+) to (\\S+) step (\\S+)$");
    private static final Pattern DURATION =
            Pattern.compile("^(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?$");

    private static final Pattern QUERY_CONTEXT_FUNCTIONS = Pattern.compile("(start|end|range|step)\\(\\)");

    private PromqlTestRunner() {}

    public static void main(String[] args) {
        List<Path> files = new ArrayList<>();
        for (String a : args) files.add(Path.of(a));
        System.exit(run(files, System.out));
    }

    /** Runs the scripts, prints per-file counts and failures, returns 1 if any eval failed. */
    public static int run(List<Path> files, PrintStream out) {
        return run(files, out, PromqlParser::parse);
    }

    /** Turns the text of a query into its AST (the project's parser, or a stand-in in tests). */
    @FunctionalInterface
    interface QueryParser {
        Expr parse(String query) throws PromqlParseException;
    }

    static int run(List<Path> files, PrintStream out, QueryParser parser) {
        int passed = 0, failed = 0, skipped = 0;
        for (Path f : files) {
            FileResult r;
            try {
                r = new FileRun(f, out, parser).run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.printf("%s: %d passed, %d failed, %d skipped%n", f.getFileName(), r.passed, r.failed, r.skipped);
            passed += r.passed;
            failed += r.failed;
            skipped += r.skipped;
        }
        out.printf("%d passed, %d failed, %d skipped%n", passed, failed, skipped);
        return failed > 0 ? 1 : 0;
    }

    static final class FileResult {
        int passed, failed, skipped;
    }

    /** Parses a Prometheus duration ("1m30s", "0", "2h") into milliseconds. */
    static long durationMs(String s) {
        if (s.equals("0")) return 0;
        Matcher m = DURATION.matcher(s);
        if (!m.matches() || s.isEmpty()) throw new IllegalArgumentException("invalid duration " + s);
        long[] unit = {365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};
        long total = 0;
        for (int i = 0; i < unit.length; i++) if (m.group(i + 1) != null) total += Long.parseLong(m.group(i + 1)) * unit[i];
        return total;
    }

    /** One expectation about annotations or errors. */
    record Expectation(String type, String message, Pattern regex) {
        boolean matches(String s) {
            if (regex != null) return regex.matcher(s).find();
            return message == null || message.equals(s);
        }
    }

    /** An eval command as written. */
    static final class EvalCommand {
        int line;
        String expr;
        boolean range;
        long start, end, step;
        String legacyModifier;
        final List<Expectation> expectations = new ArrayList<>();
        String expectedFailMessage;
        Pattern expectedFailRegexp;
        boolean expectRangeVector;
        long rvStart, rvEnd, rvStep;
        String expectedString;
        boolean hasExpectedString;
        Double expectedScalar;
        /** Expected series in the order written. */
        final Map<Labels, List<Double>> expected = new LinkedHashMap<>();
        boolean expectedHasHistograms;

        boolean expectsFail() {
            return "fail".equals(legacyModifier) || expectations.stream().anyMatch(e -> e.type.equals("fail"));
        }

        boolean ordered() {
            return "ordered".equals(legacyModifier) || expectations.stream().anyMatch(e -> e.type.equals("ordered"));
        }
    }

    /** State while running one file: the loaded series. */
    private static final class FileRun {
        final Path file;
        final PrintStream out;
        final QueryParser parser;
        final FileResult result = new FileResult();
        Map<Labels, TreeMap<Long, Double>> data = new LinkedHashMap<>();
        List<Labels> histogramSeries = new ArrayList<>();

        FileRun(Path file, PrintStream out, QueryParser parser) {
            this.file = file;
            this.out = out;
            this.parser = parser;
        }

        FileResult run() throws IOException {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int i = 0;
            while (i < lines.size()) {
                String raw = lines.get(i);
                String line = raw.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    i++;
                    continue;
                }
                if (line.equals("clear")) {
                    data = new LinkedHashMap<>();
                    histogramSeries = new ArrayList<>();
                    i++;
                    continue;
                }
                Matcher load = LOAD.matcher(line);
                if (load.matches()) {
                    try {
                        i = load(lines, i, durationMs(load.group(2)), load.group(1) != null);
                    } catch (RuntimeException e) {
                        fail(i + 1, line, "cannot load: " + e.getMessage());
                        i = skipBlock(lines, i + 1);
                    }
                    continue;
                }
                if (line.startsWith("eval")) {
                    i = eval(lines, i);
                    continue;
                }
                fail(i + 1, line, "unknown command");
                i++;
            }
            return result;
        }

        private int load(List<String> lines, int i, long interval, boolean withNhcb) {
            int j = i + 1;
            for (; j < lines.size(); j++) {
                String l = lines.get(j).trim();
                if (l.isEmpty()) break;
                if (l.startsWith("#")) continue;
                SeriesNotation.Series s = SeriesNotation.parse(l);
                if (s.hasHistograms()) histogramSeries.add(s.labels());
                TreeMap<Long, Double> points = data.computeIfAbsent(s.labels(), k -> new TreeMap<>());
                for (int k = 0; k < s.values().size(); k++) {
                    Double v = s.values().get(k);
                    if (v != null) points.put(k * interval, v);
                }
                if (withNhcb && s.labels().metricName().endsWith("_bucket")) {
                    String name = s.labels().metricName();
                    histogramSeries.add(s.labels().with(Labels.METRIC_NAME, name.substring(0, name.length() - 7)).with("le", ""));
                }
            }
            return j;
        }

        private int eval(List<String> lines, int i) {
            String line = lines.get(i).trim();
            EvalCommand cmd = new EvalCommand();
            cmd.line = i + 1;
            Matcher mi = EVAL_INSTANT.matcher(line);
            Matcher mr = EVAL_RANGE.matcher(line);
            int j = i + 1;
            try {
                if (mr.matches()) {
                    cmd.range = true;
                    cmd.legacyModifier = mr.group(1);
                    cmd.start = durationMs(mr.group(2));
                    cmd.end = durationMs(mr.group(3));
                    cmd.step = durationMs(mr.group(4));
                    cmd.expr = mr.group(5);
                } else if (mi.matches()) {
                    cmd.legacyModifier = mi.group(1);
                    cmd.start = cmd.end = mi.group(2) == null ? 0 : durationMs(mi.group(2));
                    cmd.expr = mi.group(3);
                } else {
                    fail(cmd.line, line, "invalid eval command");
                    return skipBlock(lines, j);
                }
                for (; j < lines.size(); j++) {
                    String l = lines.get(j).trim();
                    if (l.isEmpty()) break;
                    if (l.startsWith("#")) continue;
                    if (cmd.expectsFail() && l.startsWith("expected_fail_message")) {
                        cmd.expectedFailMessage = l.substring("expected_fail_message".length()).trim();
                        continue;
                    }
                    if (cmd.expectsFail() && l.startsWith("expected_fail_regexp")) {
                        cmd.expectedFailRegexp = Pattern.compile(l.substring("expected_fail_regexp".length()).trim());
                        continue;
                    }
                    Matcher rv = EXPECT_RANGE_VECTOR.matcher(l);
                    if (rv.matches()) {
                        cmd.expectRangeVector = true;
                        cmd.rvStart = durationMs(rv.group(1));
                        cmd.rvEnd = durationMs(rv.group(2));
                        cmd.rvStep = durationMs(rv.group(3));
                        cmd.start = cmd.end = cmd.rvEnd;
                        continue;
                    }
                    if (l.startsWith("expect string")) {
                        cmd.expectedString = goUnquote(l.substring("expect string".length()).trim());
                        cmd.hasExpectedString = true;
                        continue;
                    }
                    if (l.split(" ")[0].equals("expect")) {
                        Matcher em = EXPECT.matcher(l);
                        if (!em.matches()) throw new IllegalArgumentException("invalid expect line: " + l);
                        String msg = null;
                        Pattern re = null;
                        if ("msg".equals(em.group(2))) msg = em.group(3).trim();
                        else if ("regex".equals(em.group(2))) re = Pattern.compile(em.group(3).trim());
                        cmd.expectations.add(new Expectation(em.group(1), msg, re));
                        continue;
                    }
                    Double scalar = tryNumber(l);
                    if (scalar != null) {
                        cmd.expectedScalar = scalar;
                        continue;
                    }
                    if (l.contains("{{")) cmd.expectedHasHistograms = true;
                    SeriesNotation.Series s = SeriesNotation.parse(l);
                    cmd.expected.put(s.labels(), s.values());
                }
            } catch (RuntimeException e) {
                fail(cmd.line, line, "cannot parse command: " + e.getMessage());
                return skipBlock(lines, j);
            }
            execute(cmd);
            return j;
        }

        private static int skipBlock(List<String> lines, int j) {
            while (j < lines.size() && !lines.get(j).trim().isEmpty()) j++;
            return j;
        }

        private static Double tryNumber(String s) {
            if (s.contains("{") || s.contains(" ")) return null;
            try {
                return SeriesNotation.number(s);
            } catch (RuntimeException e) {
                return null;
            }
        }

        private void execute(EvalCommand cmd) {
            if (cmd.expectedHasHistograms) {
                skip(cmd, "native histograms in the expected result");
                return;
            }
            Expr expr;
            try {
                expr = parser.parse(cmd.expr);
            } catch (PromqlParseException | RuntimeException e) {
                if (cmd.expectsFail() && failureMatches(cmd, e.getMessage()) == null) {
                    pass();
                    return;
                }
                fail(cmd.line, cmd.expr, "parse error: " + e.getMessage());
                return;
            }
            if (touchesHistograms(expr)) {
                skip(cmd, "selects series loaded with native histogram samples");
                return;
            }
            String problem;
            try {
                problem = cmd.range ? runRange(cmd, expr) : runInstant(cmd, expr);
            } catch (RuntimeException e) {
                problem = "internal error: " + e;
            }
            if (problem == null) pass();
            else fail(cmd.line, cmd.expr, problem);
        }

        private boolean touchesHistograms(Expr e) {
            if (histogramSeries.isEmpty()) return false;
            List<VectorSelector> selectors = Selectors.of(e);
            for (VectorSelector vs : selectors) {
                for (Labels h : histogramSeries) {
                    boolean all = true;
                    for (LabelMatcher m : vs.matchers()) {
                        if (!m.matches(h.get(m.name()))) {
                            all = false;
                            break;
                        }
                    }
                    if (all) return true;
                }
            }
            return false;
        }

        private String runInstant(EvalCommand cmd, Expr expr) {
            Outcome o = evaluate(expr, cmd.start, cmd.start, cmd.start, 0);
            String failure = checkFailure(cmd, o);
            if (failure != null || o.error != null) return failure;
            String annos = checkAnnotations(cmd, o.result.annotations());
            if (annos != null) return annos;
            EvalResult r = o.result;
            switch (r.type()) {
                case STRING:
                    if (!cmd.hasExpectedString) return "unexpected string result \"" + r.string() + "\"";
                    return cmd.expectedString.equals(r.string()) ? null
                            : "expected string \"" + cmd.expectedString + "\" but got \"" + r.string() + "\"";
                case SCALAR:
                    if (cmd.expectedScalar == null) return "expected vector or matrix result, but got scalar " + r.scalar();
                    if (!almostEqual(cmd.expectedScalar, r.scalar())) return "expected scalar " + cmd.expectedScalar + " but got " + r.scalar();
                    return recheckInRangeMode(cmd, expr);
                case VECTOR:
                    if (cmd.expectedScalar != null) return "expected scalar result, but got vector " + describe(r);
                    String v = compareVector(cmd, r.vector());
                    return v != null ? v : recheckInRangeMode(cmd, expr);
                default:
                    if (cmd.expectedScalar != null) return "expected scalar result, but got matrix";
                    if (cmd.ordered()) return "expected ordered result, but query returned a matrix";
                    return compareMatrix(cmd, r.matrix(), cmd.rvStart, cmd.rvStep);
            }
        }

        /**
         * As Prometheus's runner does: the instant query must give the same result as the middle step
         * of a range query from t-1m to t+1m (skipped for ordered results and query-context functions).
         */
        private String recheckInRangeMode(EvalCommand cmd, Expr expr) {
            if (cmd.ordered() || QUERY_CONTEXT_FUNCTIONS.matcher(cmd.expr).find()) return null;
            long t = cmd.start;
            long start = t - 60_000, end = t + 60_000;
            for (long ts = start; ts <= end; ts += 60_000) {
                Outcome o = evaluate(expr, ts, start, end, 60_000);
                if (o.error != null) return "error evaluating query in range mode: " + o.error;
                if (ts != t) continue;
                if (o.result.type() == EvalResult.Type.SCALAR) {
                    return almostEqual(cmd.expectedScalar, o.result.scalar()) ? null
                            : "range mode: expected scalar " + cmd.expectedScalar + " but got " + o.result.scalar();
                }
                String diff = compareVector(cmd, o.result.vector(), false);
                return diff == null ? null : "range mode: " + diff;
            }
            return null;
        }

        private String runRange(EvalCommand cmd, Expr expr) {
            Map<Labels, List<long[]>> seriesTimes = new TreeMap<>();
            Map<Labels, List<Double>> seriesValues = new TreeMap<>();
            List<Annotation> annotations = new ArrayList<>();
            Outcome last = null;
            for (long ts = cmd.start; ts <= cmd.end; ts += cmd.step) {
                Outcome o = evaluate(expr, ts, cmd.start, cmd.end, cmd.step);
                last = o;
                if (o.error != null) break;
                for (Annotation a : o.result.annotations()) if (!annotations.contains(a)) annotations.add(a);
                List<EvalResult.Sample> samples = new ArrayList<>();
                switch (o.result.type()) {
                    case SCALAR -> samples.add(new EvalResult.Sample(Labels.EMPTY, o.result.scalar()));
                    case VECTOR -> samples.addAll(o.result.vector());
                    default -> {
                        last = new Outcome(null, "range query result must be an instant vector or scalar");
                    }
                }
                if (last.error != null) break;
                for (EvalResult.Sample s : samples) {
                    seriesTimes.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(new long[] {ts});
                    seriesValues.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(s.value());
                }
                if (cmd.step <= 0) break;
            }
            String failure = checkFailure(cmd, last);
            if (failure != null || last.error != null) return failure;
            String annos = checkAnnotations(cmd, annotations);
            if (annos != null) return annos;
            if (cmd.expectedScalar != null) return "expected scalar result, but got matrix";
            List<EvalResult.Series> matrix = new ArrayList<>();
            for (Map.Entry<Labels, List<long[]>> e : seriesTimes.entrySet()) {
                List<long[]> t = e.getValue();
                long[] ts = new long[t.size()];
                double[] vs = new double[t.size()];
                for (int k = 0; k < ts.length; k++) {
                    ts[k] = t.get(k)[0];
                    vs[k] = seriesValues.get(e.getKey()).get(k);
                }
                matrix.add(new EvalResult.Series(e.getKey(), ts, vs));
            }
            return compareMatrix(cmd, matrix, cmd.start, cmd.step);
        }

        private String checkFailure(EvalCommand cmd, Outcome o) {
            if (o.error != null) {
                if (!cmd.expectsFail()) return "error evaluating query: " + o.error;
                return failureMatches(cmd, o.error);
            }
            if (cmd.expectsFail()) return "expected error evaluating query but got none";
            return null;
        }

        private static String failureMatches(EvalCommand cmd, String error) {
            if (cmd.expectedFailMessage != null && !cmd.expectedFailMessage.equals(error)) {
                return "expected error \"" + cmd.expectedFailMessage + "\" but got: " + error;
            }
            if (cmd.expectedFailRegexp != null && !cmd.expectedFailRegexp.matcher(error).find()) {
                return "expected error matching \"" + cmd.expectedFailRegexp + "\" but got: " + error;
            }
            for (Expectation e : cmd.expectations) {
                if (e.type.equals("fail") && !e.matches(error)) {
                    return "expected error matching \"" + (e.regex != null ? e.regex : e.message) + "\" but got: " + error;
                }
            }
            return null;
        }

        private String checkAnnotations(EvalCommand cmd, List<Annotation> annos) {
            List<String> warnings = new ArrayList<>(), infos = new ArrayList<>();
            for (Annotation a : annos) (a.info() ? infos : warnings).add(a.render(cmd.expr));
            if ("warn".equals(cmd.legacyModifier) && warnings.isEmpty()) return "expected warnings but got none";
            if ("info".equals(cmd.legacyModifier) && infos.isEmpty()) return "expected info annotations but got none";
            String w = validate(cmd, "warn", warnings);
            if (w != null) return w;
            String i = validate(cmd, "info", infos);
            if (i != null) return i;
            if (has(cmd, "no_warn") && !warnings.isEmpty()) return "unexpected warning annotations: " + warnings;
            if (has(cmd, "no_info") && !infos.isEmpty()) return "unexpected info annotations: " + infos;
            return null;
        }

        private static boolean has(EvalCommand cmd, String type) {
            return cmd.expectations.stream().anyMatch(e -> e.type.equals(type));
        }

        private static String validate(EvalCommand cmd, String type, List<String> actual) {
            List<Expectation> expected = cmd.expectations.stream().filter(e -> e.type.equals(type)).toList();
            if (expected.isEmpty()) return null;
            if (actual.isEmpty()) return "expected " + type + " annotations but none were found";
            for (Expectation e : expected) {
                if (actual.stream().noneMatch(e::matches)) {
                    return "expected " + type + " annotation matching \"" + (e.regex != null ? e.regex : e.message)
                            + "\" but found: " + actual;
                }
            }
            for (String a : actual) {
                if (expected.stream().noneMatch(e -> e.matches(a))) return "unexpected " + type + " annotation \"" + a + "\"";
            }
            return null;
        }

        private String compareVector(EvalCommand cmd, List<EvalResult.Sample> actual) {
            return compareVector(cmd, actual, cmd.ordered());
        }

        private String compareVector(EvalCommand cmd, List<EvalResult.Sample> actual, boolean ordered) {
            List<Labels> order = new ArrayList<>(cmd.expected.keySet());
            StringBuilder diff = new StringBuilder();
            Map<Labels, Double> seen = new LinkedHashMap<>();
            for (int pos = 0; pos < actual.size(); pos++) {
                EvalResult.Sample s = actual.get(pos);
                seen.put(s.labels(), s.value());
                List<Double> exp = cmd.expected.get(s.labels());
                if (exp == null) {
                    diff.append("\n    + ").append(s.labels()).append(' ').append(s.value()).append("   (unexpected)");
                    continue;
                }
                if (exp.size() != 1 || exp.get(0) == null) {
                    diff.append("\n    ~ ").append(s.labels()).append(" expected ").append(exp).append(" got ").append(s.value());
                    continue;
                }
                if (!almostEqual(exp.get(0), s.value())) {
                    diff.append("\n    ~ ").append(s.labels()).append(" expected ").append(exp.get(0)).append(" got ").append(s.value());
                }
                if (ordered && order.indexOf(s.labels()) != pos) {
                    diff.append("\n    ~ ").append(s.labels()).append(" expected at position ").append(order.indexOf(s.labels()) + 1)
                            .append(" but was at ").append(pos + 1);
                }
            }
            for (Map.Entry<Labels, List<Double>> e : cmd.expected.entrySet()) {
                if (!seen.containsKey(e.getKey())) diff.append("\n    - ").append(e.getKey()).append(' ').append(e.getValue()).append("   (missing)");
            }
            return diff.length() == 0 ? null : "result differs from expected:" + diff;
        }

        private String compareMatrix(EvalCommand cmd, List<EvalResult.Series> actual, long start, long step) {
            StringBuilder diff = new StringBuilder();
            Map<Labels, Boolean> seen = new LinkedHashMap<>();
            for (EvalResult.Series s : actual) {
                seen.put(s.labels(), true);
                List<Double> exp = cmd.expected.get(s.labels());
                if (exp == null) {
                    diff.append("\n    + ").append(s.labels()).append(' ').append(points(s.timestamps(), s.values())).append("   (unexpected)");
                    continue;
                }
                List<long[]> expT = new ArrayList<>();
                List<Double> expV = new ArrayList<>();
                for (int k = 0; k < exp.size(); k++) {
                    if (exp.get(k) == null) continue;
                    expT.add(new long[] {start + k * step});
                    expV.add(exp.get(k));
                }
                boolean same = expT.size() == s.timestamps().length;
                for (int k = 0; same && k < expT.size(); k++) {
                    same = expT.get(k)[0] == s.timestamps()[k] && almostEqual(expV.get(k), s.values()[k]);
                }
                if (!same) {
                    StringBuilder e = new StringBuilder("[");
                    for (int k = 0; k < expT.size(); k++) e.append(k > 0 ? " " : "").append(expV.get(k)).append('@').append(expT.get(k)[0] / 1000.0);
                    diff.append("\n    ~ ").append(s.labels()).append(" expected ").append(e).append("] got ").append(points(s.timestamps(), s.values()));
                }
            }
            for (Map.Entry<Labels, List<Double>> e : cmd.expected.entrySet()) {
                if (!seen.containsKey(e.getKey())) diff.append("\n    - ").append(e.getKey()).append(' ').append(e.getValue()).append("   (missing)");
            }
            return diff.length() == 0 ? null : "result differs from expected:" + diff;
        }

        private static String points(long[] t, double[] v) {
            StringBuilder sb = new StringBuilder("[");
            for (int k = 0; k < t.length; k++) sb.append(k > 0 ? " " : "").append(v[k]).append('@').append(t[k] / 1000.0);
            return sb.append(']').toString();
        }

        private static String describe(EvalResult r) {
            return r.vector().toString();
        }

        /** Evaluates through shards exactly as the streaming job does. */
        private Outcome evaluate(Expr expr, long ts, long start, long end, long step) {
            EvalPlan plan;
            try {
                plan = EvalPlan.compile(expr, OPTIONS);
            } catch (RuntimeException e) {
                return new Outcome(null, e.getMessage());
            }
            SeriesStore[] shards = new SeriesStore[SHARDS];
            for (int i = 0; i < SHARDS; i++) shards[i] = new SeriesStore();
            for (Map.Entry<Labels, TreeMap<Long, Double>> e : data.entrySet()) {
                SeriesStore s = shards[(int) Math.floorMod(e.getKey().stableHash(), (long) SHARDS)];
                int id = s.seriesId(e.getKey());
                for (Map.Entry<Long, Double> p : e.getValue().entrySet()) s.append(id, p.getKey(), p.getValue());
            }
            LeafValues merged = null;
            for (SeriesStore s : shards) {
                LeafValues part = roundTrip(SeriesStep.evaluate(plan, s, ts, start, end, step));
                if (merged == null) merged = part;
                else merged.mergeFrom(part);
            }
            try {
                return new Outcome(RuleStep.evaluate(plan, merged, ts, start, end, step), null);
            } catch (EvalException e) {
                return new Outcome(null, e.getMessage());
            }
        }

        private void pass() { result.passed++; }

        private void skip(EvalCommand cmd, String reason) {
            result.skipped++;
            out.printf("  SKIP %s:%d %s -- %s%n", file.getFileName(), cmd.line, cmd.expr, reason);
        }

        private void fail(int line, String what, String why) {
            result.failed++;
            out.printf("  FAIL %s:%d %s%n    %s%n", file.getFileName(), line, what, why);
        }
    }

    record Outcome(EvalResult result, String error) {}

    static LeafValues roundTrip(LeafValues v) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            v.writeTo(new DataOutputStream(bytes));
            return LeafValues.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** Prometheus's comparison of expected and actual floats (relative epsilon 1e-6, NaN equals NaN). */
    static boolean almostEqual(double a, double b) {
        if (io.flinkruler.model.StaleMarker.is(a) || io.flinkruler.model.StaleMarker.is(b)) {
            return io.flinkruler.model.StaleMarker.is(a) && io.flinkruler.model.StaleMarker.is(b);
        }
        if (Double.isNaN(a) && Double.isNaN(b)) return true;
        if (a == b) return true;
        double absSum = Math.abs(a) + Math.abs(b);
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) return diff < 1e-6 * Double.MIN_NORMAL;
        return diff / Math.min(absSum, Double.MAX_VALUE) < 1e-6;
    }

    static String goUnquote(String s) {
        if (s.length() >= 2 && s.startsWith("`") && s.endsWith("`")) return s.substring(1, s.length() - 1);
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() - 1) {
                    char e = s.charAt(++i);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
        throw new IllegalArgumentException("expected string literal not valid - check that the string is correctly quoted");
    }
}
