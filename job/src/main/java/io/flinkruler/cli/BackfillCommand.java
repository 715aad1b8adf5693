package io.flinkruler.cli;

import io.flinkruler.config.ConfigException;
import io.flinkruler.config.RulerConfig;
import io.flinkruler.job.PipelineSettings;
import io.flinkruler.job.PipelineSettingsFactory;
import io.flinkruler.job.RulerJob;
import io.flinkruler.job.backfill.OpenMetricsFileOutput;
import io.flinkruler.job.backfill.RulesLookbehind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.apache.flink.api.common.JobExecutionResult;

/**
 * {@code flink-ruler backfill --config FILE --from T1 --to T2 [--output FILE.om] [--parallelism N]}: evaluates
 * the configured rules at their evaluation timestamps in {@code [T1, T2]} over a bounded replay of the configured
 * input (like {@code vmalert -replay}, as a Flink job), delivers the results and exits. With {@code --output} the
 * results go into an OpenMetrics file for {@code promtool tsdb create-blocks-from openmetrics} instead of the
 * remote-write endpoints.
 */
final class BackfillCommand {
    private BackfillCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String configFile = null;
        String from = null;
        String to = null;
        String output = null;
        Integer parallelism = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> configFile = value(args, ++i, "--config");
                case "--from" -> from = value(args, ++i, "--from");
                case "--to" -> to = value(args, ++i, "--to");
                case "--output", "-o" -> output = value(args, ++i, "--output");
                case "--parallelism", "-p" -> parallelism = Integer.parseInt(value(args, ++i, "--parallelism"));
                default -> {
                    err.println("backfill: unknown argument " + args[i]);
                    return 2;
                }
            }
        }
        if (configFile == null || from == null || to == null) {
            err.println("backfill: --config, --from and --to are required");
            return 2;
        }
        long fromMs;
        long toMs;
        try {
            fromMs = parseTime(from);
            toMs = parseTime(to);
        } catch (IllegalArgumentException e) {
            err.println("backfill: " + e.getMessage());
            return 2;
        }
        if (toMs < fromMs) {
            err.println("backfill: --to (" + to + ") is before --from (" + from + ")");
            return 2;
        }
        RulerConfig config;
        try {
            config = RulerConfig.load(Path.of(configFile));
        } catch (ConfigException e) {
            for (String problem : e.errors()) err.println(problem);
            return 1;
        }
        for (String warning : config.warnings()) err.println("warning: " + warning);
        PipelineSettings run = PipelineSettingsFactory.from(config, parallelism);
        String outputLocation = output == null ? null : location(output);
        long lookbehind = RulesLookbehind.of(run.ruleStorage(), run.evaluationDefaults());
        PipelineSettings settings;
        try {
            settings = run.asBackfill(new PipelineSettings.Backfill(fromMs, toMs, outputLocation), lookbehind);
        } catch (UnsupportedOperationException | IllegalStateException | IllegalArgumentException e) {
            err.println("backfill: " + e.getMessage());
            return 1;
        }
        OpenMetricsFileOutput file = outputLocation == null ? null : new OpenMetricsFileOutput(outputLocation);
        if (file != null) file.prepare();
        out.println("flink-ruler backfill: evaluation timestamps " + Instant.ofEpochMilli(fromMs) + " .. " + Instant.ofEpochMilli(toMs));
        out.println("  rules:   " + settings.rulesRoot() + " (samples needed from " + lookbehind / 1000.0 + "s before the first evaluation)");
        out.println("  samples: " + settings.samples().describe());
        out.println("  results: " + (file != null ? "OpenMetrics file " + outputLocation
                : "each group's remote_write, else " + (settings.tenantRemoteWrite() == null ? "nowhere (no ruler.tenant_remote_write)"
                        : settings.tenantRemoteWrite().displayName())));
        JobExecutionResult result = RulerJob.execute(settings);
        if (file != null && !result.isJobExecutionResult()) {
            err.println("backfill: --output needs an attached run (not flink run -d): the file is assembled when the job has finished;"
                    + " the parts will be in " + file.partsDir());
            return 1;
        }
        if (file != null) {
            long bytes = file.assemble();
            out.println("flink-ruler backfill: wrote " + bytes + " bytes to " + outputLocation
                    + " (load it with: promtool tsdb create-blocks-from openmetrics " + output + " DATA_DIR)");
        }
        if (result.isJobExecutionResult()) out.println("flink-ruler backfill: finished in " + result.getNetRuntime() / 1000.0 + "s");
        return 0;
    }

    /** RFC 3339 ({@code 2024-01-01T00:00:00Z}, {@code 2024-01-01T02:00:00+02:00}) or Unix milliseconds. */
    static long parseTime(String text) {
        if (text.matches("-?[0-9]+")) return Long.parseLong(text);
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 time or Unix milliseconds: \"" + text + "\"");
        }
    }

    /** A Flink file system URI as written; a plain path absolute, as a file: URI. */
    private static String location(String pathOrUri) {
        if (pathOrUri.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) return pathOrUri;
        return Path.of(pathOrUri).toAbsolutePath().normalize().toUri().toString();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
        return args[i];
    }
}
