package io.flinkruler.cli;

import io.flinkruler.config.ConfigException;
import io.flinkruler.config.RulerConfig;
import io.flinkruler.job.PipelineSettings;
import io.flinkruler.job.PipelineSettingsFactory;
import io.flinkruler.job.RulerJob;
import io.flinkruler.remotewrite.LocalRemoteWriteReceiver;
import io.flinkruler.rules.RemoteWriteConfig;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import org.apache.flink.api.common.JobExecutionResult;

/**
 * {@code flink-ruler run [--config FILE] [--parallelism N]}: builds the job graph and executes it —
 * in a local MiniCluster when started from the command line, on the cluster when started by
 * {@code flink run}. Without a config, the embedded demo runs and a local remote-write receiver
 * prints what arrives.
 */
final class RunCommand {
    private RunCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String configFile = null;
        Integer parallelism = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> configFile = value(args, ++i, "--config");
                case "--parallelism", "-p" -> parallelism = Integer.parseInt(value(args, ++i, "--parallelism"));
                default -> {
                    err.println("run: unknown argument " + args[i]);
                    return 2;
                }
            }
        }
        RulerConfig config;
        try {
            config = configFile == null ? RulerConfig.embeddedDefault() : RulerConfig.load(Path.of(configFile));
        } catch (ConfigException e) {
            for (String problem : e.errors()) err.println(problem);
            return 1;
        }
        for (String warning : config.warnings()) err.println("warning: " + warning);
        PipelineSettings settings = PipelineSettingsFactory.from(config, parallelism);

        LocalRemoteWriteReceiver receiver = null;
        if (configFile == null) receiver = startDemoReceiver(settings.tenantRemoteWrite(), out);
        try {
            out.println("flink-ruler: config " + (configFile == null ? "embedded demo" : configFile));
            out.println("  rules:   " + settings.rulesRoot() + " (polled every " + settings.pollIntervalMs() / 1000.0 + "s)");
            out.println("  samples: " + settings.samples().describe());
            out.println("  results: each group's remote_write, else "
                    + (settings.tenantRemoteWrite() == null ? "nowhere (no ruler.tenant_remote_write)" : settings.tenantRemoteWrite().displayName()));
            out.println("  parallelism " + settings.parallelism() + ", " + settings.shards() + " shards, checkpoint every "
                    + settings.checkpointIntervalMs() / 1000.0 + "s");
            JobExecutionResult result = RulerJob.execute(settings);
            out.println("flink-ruler: job finished in " + result.getNetRuntime() / 1000.0 + "s");
            return 0;
        } finally {
            if (receiver != null) receiver.close();
        }
    }

    /** The demo's delivery target: started on the port of the configured tenant endpoint. */
    private static LocalRemoteWriteReceiver startDemoReceiver(RemoteWriteConfig target, PrintStream out) throws Exception {
        if (target == null) return null;
        URI uri = URI.create(target.url());
        LocalRemoteWriteReceiver receiver = LocalRemoteWriteReceiver.start(uri.getPort(), out);
        out.println("flink-ruler: local remote-write receiver listening at " + target.url() + " (prints what arrives)");
        return receiver;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
        return args[i];
    }
}
