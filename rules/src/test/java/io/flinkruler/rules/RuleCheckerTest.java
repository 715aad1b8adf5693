package io.flinkruler.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleCheckerTest {
    @TempDir
    Path dir;

    @Test
    void reportsEveryProblemOfEveryFileAsFileLineColumn() throws Exception {
        Path good = write("tenant/good.yaml", "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: sum(up)\n");
        Path bad = write("tenant/bad.yml", "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: sum(up\n");
        Path broken = write("tenant/broken.yaml", "groups: [\n");
        List<Problem> problems = RuleChecker.check(List.of(good, bad, broken));
        assertEquals(List.of(
                bad + ":5:21: group \"g\", rule 1, \"r\": could not parse expression: unclosed left parenthesis",
                broken + ":2:1: yaml: expected the node content, but found '<stream end>' (while parsing a flow node)"),
                problems.stream().map(Problem::toString).toList());
    }

    @Test
    void directoriesStandForTheirYamlFiles() throws Exception {
        write("a/one.yaml", "groups:\n  - name: g\n    rules:\n      - {record: r, expr: up}\n");
        write("a/sub/two.yml", "groups:\n  - name: g\n    rules:\n      - {record: r, expr: up}\n");
        write("a/notes.txt", "not a rule file");
        List<RuleChecker.FileReport> reports = RuleChecker.checkFiles(List.of(dir.resolve("a")));
        assertEquals(List.of(dir.resolve("a/one.yaml"), dir.resolve("a/sub/two.yml")),
                reports.stream().map(RuleChecker.FileReport::file).toList());
        assertEquals("a", reports.get(0).result().groups().get(0).tenant());
        assertEquals("two", reports.get(1).result().groups().get(0).namespace());
    }

    @Test
    void invalidUtf8IsAProblemNotACrash() throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'g', 'r', (byte) 0xe9, '\n'});
        assertEquals(List.of(file + ":1:1: file is not valid UTF-8"), RuleChecker.check(List.of(file)).stream().map(Problem::toString).toList());
    }

    @Test
    void exampleRulesOfTheRepositoryAreValid() throws Exception {
        Path examples = Path.of("..", "examples", "rules").toAbsolutePath().normalize();
        List<RuleChecker.FileReport> reports = RuleChecker.checkFiles(List.of(examples));
        assertTrue(reports.size() >= 2, "example rule files: " + reports);
        for (RuleChecker.FileReport r : reports) {
            assertEquals(List.of(), r.result().problems(), r.file().toString());
            assertEquals(List.of(), r.result().warnings(), r.file().toString());
            for (RuleGroup g : r.result().groups()) assertEquals("anonymous", g.tenant());
        }
    }

    private Path write(String relative, String text) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }
}
