package io.flinkruler.job.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.rulesource.RuleStorageLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesLookbehindTest {
    @TempDir
    Path root;

    private static final EvaluationDefaults DEFAULTS = new EvaluationDefaults(60_000, 0, 300_000);

    @Test
    void longestRangePlusOffsetPlusQueryOffsetOverAllTenants() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("a/r.yaml"), """
                groups:
                  - name: g
                    rules:
                      - record: x
                        expr: rate(m[10m])
                """);
        Files.writeString(root.resolve("b/r.yml"), """
                groups:
                  - name: g
                    query_offset: 1m
                    rules:
                      - record: y
                        expr: max_over_time(m[20m] offset 5m)
                """);
        Files.writeString(root.resolve("b/broken.yaml"), "groups: [\n");
        Files.writeString(root.resolve("b/notes.txt"), "rate(m[1y])");
        assertEquals((20 + 5 + 1) * 60_000, RulesLookbehind.of(RuleStorageLocation.of(root.toUri().toString()), DEFAULTS));
    }

    @Test
    void noRulesNeedTheLookbackDelta() throws Exception {
        assertEquals(300_000, RulesLookbehind.of(RuleStorageLocation.of(root.toUri().toString()), DEFAULTS));
    }
}
