package io.flinkruler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flink-ruler check}: like promtool check rules, every problem as file:line:col: message. */
class CheckCommandTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String out, List<String> err) {}

    private Outcome check(Path... files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[files.length + 1];
        args[0] = "check";
        for (int i = 0; i < files.length; i++) args[i + 1] = files[i].toString();
        int code = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Outcome(code, out.toString(), err.toString().lines().toList());
    }

    @Test
    void validFilesExitZero() throws Exception {
        Path ok = dir.resolve("ok.yaml");
        Files.writeString(ok, """
                groups:
                  - name: g
                    interval: 30s
                    rules:
                      - record: job:up:sum
                        expr: sum by (job) (up)
                    remote_write:
                      - url: http://user:pass@example.com/api/v1/push
                """);
        Outcome o = check(ok);
        assertEquals(0, o.code, String.join("\n", o.err));
        assertTrue(o.out.contains("SUCCESS"), o.out);
    }

    @Test
    void yamlErrorBadPromqlAndDuplicateRuleAreReportedWithPositions() throws Exception {
        Path yaml = dir.resolve("yaml.yaml");
        Files.writeString(yaml, "groups:\n  - name: g\n    rules: [\n");
        Path promql = dir.resolve("promql.yaml");
        Files.writeString(promql, """
                groups:
                  - name: g
                    rules:
                      - record: a:sum
                        expr: sum(rate(x[5m])
                """);
        Path duplicate = dir.resolve("dup.yaml");
        Files.writeString(duplicate, """
                groups:
                  - name: g
                    rules:
                      - record: a:sum
                        expr: sum(x)
                      - record: a:sum
                        expr: sum(y)
                """);
        Outcome o = check(yaml, promql, duplicate);
        assertEquals(1, o.code);
        List<String> problems = o.err.stream().filter(l -> l.matches(".+:\\d+:\\d+: .+")).toList();
        assertEquals(3, problems.size(), String.join("\n", o.err));
        assertTrue(problems.get(0).startsWith(yaml + ":4:1: "), problems.get(0));
        assertEquals(promql + ":5:30: group \"g\", rule 1, \"a:sum\": could not parse expression: unclosed left parenthesis", problems.get(1));
        assertTrue(problems.get(2).startsWith(duplicate + ":6:"), problems.get(2));
        assertTrue(problems.get(2).contains("a:sum"), problems.get(2));
    }
}
