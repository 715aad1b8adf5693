package io.flinkruler.promql.parser;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Parses every expression of Prometheus's engine test scripts ({@code ../shared/promqltest/*.test},
 * read in place, never copied). Expressions expected to evaluate must parse; for those expected to
 * fail with a message, a parse error must carry that message (many expected failures are runtime errors).
 */
class PromqlTestCorpusTest {
    private static final Pattern EVAL = Pattern.compile("^\\s*eval(?:_\\w+)?\\s+(?:instant at \\S+|range from \\S+ to \\S+ step \\S+)\\s+(.*)$");
    private static final Pattern EXPECT_FAIL = Pattern.compile("^\\s*expect fail(?:\\s+(msg|regex):\\s*(.*))?$");

    private static Path corpus() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/promqltest");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    @Test
    void parsesEveryEvalExpression() throws IOException {
        Path dir = corpus();
        assumeTrue(dir != null, "../shared/promqltest not present");
        List<String> problems = new ArrayList<>();
        int parsed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".test")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = EVAL.matcher(lines.get(i));
                    if (!m.matches()) continue;
                    String expr = m.group(1);
                    Matcher fail = i + 1 < lines.size() ? EXPECT_FAIL.matcher(lines.get(i + 1)) : null;
                    boolean expectFail = fail != null && fail.matches();
                    String where = file.getFileName() + ":" + (i + 1) + " " + expr;
                    try {
                        PromqlParser.parse(expr);
                        parsed++;
                    } catch (PromqlParseException e) {
                        if (!expectFail) {
                            problems.add(where + " -> " + e.getMessage());
                        } else if ("msg".equals(fail.group(1)) && !e.detail().equals(fail.group(2).trim())) {
                            problems.add(where + " -> " + e.detail() + " (expected " + fail.group(2) + ")");
                        }
                    }
                }
            }
        }
        assertTrue(parsed > 500, "parsed " + parsed);
        assertEquals(List.of(), problems);
    }
}
