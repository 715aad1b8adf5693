package io.flinkruler.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.cli.Main;
import io.flinkruler.rulesource.MimirRuleGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flink-ruler rules sync|diff|list} on local storage, in both layouts. */
class RulesCommandTest {
    @TempDir
    Path dir;

    private Path config;
    private Path mimirConfig;
    private String output;

    @BeforeEach
    void configs() throws Exception {
        config = dir.resolve("ruler.yaml");
        Files.writeString(config, "ruler:\n  storage: {type: local, local: {directory: ./store}}\n");
        mimirConfig = dir.resolve("mimir.yaml");
        Files.writeString(mimirConfig, "ruler:\n  storage: {type: local, format: mimir, prefix: gem, local: {directory: ./bucket}}\n");
    }

    private Path file(String name, String... groupAndExpr) throws Exception {
        StringBuilder y = new StringBuilder("groups:\n");
        for (int i = 0; i < groupAndExpr.length; i += 2) {
            y.append("  - name: ").append(groupAndExpr[i]).append("\n    interval: 30s\n    rules:\n")
             .append("      - record: ").append(groupAndExpr[i]).append(":out\n        expr: ").append(groupAndExpr[i + 1]).append('\n')
             .append("      - alert: Down\n        expr: up == 0\n        for: 5m\n        annotations: {summary: down}\n");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, y.toString());
        return f;
    }

    private int cli(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = Main.run(args, ps, ps);
        output = bytes.toString(StandardCharsets.UTF_8);
        return code;
    }

    private List<String> lines() {
        return output.lines().toList();
    }

    private List<String> storedFiles(Path root) throws Exception {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            List<String> out = new ArrayList<>();
            s.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString()));
            out.sort(null);
            return out;
        }
    }

    @Test
    void syncDiffAndListInTheRuleFileLayout() throws Exception {
        Path app = file("app.yaml", "g1", "sum(up)", "g2", "count(up)");
        Path infra = file("infra.yml", "h", "max(up)");
        assertEquals(0, cli("rules", "diff", "--rule-files", app.toString(), infra.toString(), "--tenant", "team-a", "--config", config.toString()));
        assertEquals(List.of("+ team-a/app/g1", "+ team-a/app/g2", "+ team-a/infra/h"), lines().subList(0, 3));
        assertEquals(List.of(), storedFiles(dir.resolve("store")), "diff writes nothing");

        assertEquals(0, cli("rules", "sync", "--rule-files", app.toString(), infra.toString(), "--tenant", "team-a", "--config", config.toString()));
        assertTrue(output.contains("Sync summary: 3 group(s) created, 0 updated, 0 deleted"), output);
        assertEquals(List.of("team-a/app.yaml", "team-a/infra.yaml"), storedFiles(dir.resolve("store")));
        assertEquals(Files.readString(app), Files.readString(dir.resolve("store/team-a/app.yaml")), "the file as it is, comments and all");

        assertEquals(0, cli("rules", "diff", "--rule-files", app.toString(), infra.toString(), "--tenant", "team-a", "--config", config.toString()));
        assertTrue(output.startsWith("No differences"), output);

        file("app.yaml", "g1", "sum(up) * 2");
        assertEquals(0, cli("rules", "sync", "--rule-files", app.toString(), "--tenant", "team-a", "--config", config.toString()));
        assertEquals(List.of("~ team-a/app/g1", "- team-a/app/g2  (no longer in " + app + ")",
                "  team-a/infra/h  (kept: namespace not in the files, no --delete)",
                "Sync summary: 0 group(s) created, 1 updated, 1 deleted in " + dir.resolve("store").toUri().toString().replace("file:///", "file:/")
                        .replaceAll("/$", "")), fixRoot(lines()));

        assertEquals(0, cli("rules", "sync", "--delete", "--rule-files", app.toString(), "--tenant", "team-a", "--config", config.toString()));
        assertEquals(List.of("team-a/app.yaml"), storedFiles(dir.resolve("store")));

        assertEquals(0, cli("rules", "list", "--config", config.toString()));
        assertEquals("team-a\tapp\tg1\t2 rule(s)\tinterval 30s", lines().get(0));
        assertTrue(lines().get(1).startsWith("1 group(s) in "), output);
    }

    /** The summary names the storage root, whose file URI form varies (file:/x vs file:///x/). */
    private static List<String> fixRoot(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) out.add(l.replace("file:///", "file:/").replaceAll("/$", ""));
        return out;
    }

    @Test
    void syncInTheMimirLayoutWritesAnObjectPerGroup() throws Exception {
        Path app = file("app.rules.yaml", "g1", "sum(up)", "g2", "count(up)");
        assertEquals(0, cli("rules", "sync", "--rule-files", app.toString(), "--tenant", "team-a", "--config", mimirConfig.toString()));
        Path bucket = dir.resolve("bucket/gem");
        assertEquals(List.of(MimirRuleGroup.objectKey("team-a", "app.rules", "g1"), MimirRuleGroup.objectKey("team-a", "app.rules", "g2")),
                storedFiles(bucket));
        MimirRuleGroup g1 = MimirRuleGroup.decode(Files.readAllBytes(bucket.resolve(MimirRuleGroup.objectKey("team-a", "app.rules", "g1"))));
        assertEquals("team-a", g1.user());
        assertEquals(30_000, g1.intervalMs());
        assertEquals(300_000, g1.rules().get(1).forMs(), "alerting fields are kept for Mimir");
        assertEquals("down", g1.rules().get(1).annotations().get("summary"));

        assertEquals(0, cli("rules", "diff", "--rule-files", app.toString(), "--tenant", "team-a", "--config", mimirConfig.toString()));
        assertTrue(output.startsWith("No differences"), output);

        file("app.rules.yaml", "g1", "sum(up)");
        assertEquals(0, cli("rules", "sync", "--rule-files", app.toString(), "--tenant", "team-a", "--config", mimirConfig.toString()));
        assertEquals(List.of(MimirRuleGroup.objectKey("team-a", "app.rules", "g1")), storedFiles(bucket));
        assertEquals(0, cli("rules", "list", "--config", mimirConfig.toString()));
        assertEquals("team-a\tapp.rules\tg1\t2 rule(s)\tinterval 30s", lines().get(0));
    }

    @Test
    void brokenFilesWriteNothing() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: sum(up\n");
        assertEquals(1, cli("rules", "sync", "--rule-files", bad.toString(), "--tenant", "t", "--config", config.toString()));
        assertTrue(output.contains(bad + ":5:"), output);
        assertTrue(output.contains("nothing written"), output);
        assertFalse(Files.exists(dir.resolve("store")));
        assertEquals(2, cli("rules", "sync", "--rule-files", bad.toString(), "--config", config.toString()));
        assertTrue(output.contains("--tenant is required"), output);
    }
}
