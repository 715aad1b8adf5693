package io.flinkruler.cli;

import io.flinkruler.rules.Problem;
import io.flinkruler.rules.RuleChecker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code flink-ruler check FILE...}: every problem as {@code file:line:col: message}; exit 1 if any. */
final class CheckCommand {
    private CheckCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.println("usage: flink-ruler check FILE...");
            return 2;
        }
        List<Path> files = new ArrayList<>();
        for (String a : args) files.add(Path.of(a));
        List<Problem> problems = RuleChecker.check(files);
        for (Problem p : problems) err.println(p);
        if (problems.isEmpty()) {
            out.println("SUCCESS: " + files.size() + " rule file(s) valid");
            return 0;
        }
        err.println("FAILED: " + problems.size() + " problem(s)");
        return 1;
    }
}
