package io.flinkruler.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code flink-ruler} command. Also the jar's main class, so that {@code flink run flink-ruler.jar
 * --config FILE} runs the job on a cluster. Commands other than {@code run} need no Flink classes.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err);
        // `run` of a bounded job returns here; on a cluster client, exiting is what flink run expects too
        if (code != 0 || !isRun(args)) System.exit(code);
    }

    static boolean isRun(String[] args) {
        return args.length == 0 || args[0].equals("run") || args[0].equals("backfill") || args[0].startsWith("--");
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) return RunCommand.run(new String[0], out, err);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "run":
                return RunCommand.run(rest, out, err);
            case "backfill":
                return BackfillCommand.run(rest, out, err);
            case "check":
                return CheckCommand.run(rest, out, err);
            case "rules":
                return RulesCommand.run(rest, out, err);
            case "promqltest":
                return io.flinkruler.promqltest.PromqlTestRunner.run(Arrays.stream(rest).map(java.nio.file.Path::of).toList(), out);
            case "receive":
                io.flinkruler.remotewrite.LocalRemoteWriteReceiver.main(rest.length > 0 ? rest : new String[] {"19291"});
                return 0;
            case "help":
            case "--help":
            case "-h":
                usage(out);
                return 0;
            default:
                if (args[0].startsWith("--")) return RunCommand.run(args, out, err);
                err.println("unknown command: " + args[0]);
                usage(err);
                return 2;
        }
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: flink-ruler COMMAND [ARGS]
                  run [--config FILE] [--parallelism N]   run the ruler job (locally, or on a cluster via `flink run`);
                                                          without --config: the embedded demo (generator, example rules,
                                                          a local remote-write receiver that prints what arrives)
                  backfill --config FILE --from T1 --to T2 [--output FILE.om] [--parallelism N]
                                                          evaluate the rules at the evaluation timestamps in [T1, T2]
                                                          (RFC 3339 or Unix ms) over the configured input, deliver and
                                                          exit; --output: an OpenMetrics file for promtool instead
                  check FILE...                           validate rule files like `promtool check rules`
                  rules sync|diff|list ...                manage rule storage like mimirtool (rules sync --rule-files F...
                                                          --tenant T --config C [--delete]; rules list --config C)
                  promqltest FILE...                      run Prometheus promqltest scripts against the evaluation core
                  receive [PORT]                          a remote-write receiver on 127.0.0.1:PORT (19291) printing what arrives
                """);
    }
}
