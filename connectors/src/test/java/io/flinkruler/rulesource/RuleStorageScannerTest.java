package io.flinkruler.rulesource;

import io.flinkruler.rulesource.RuleStorageScanner.ScanResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleStorageScannerTest {
    @TempDir
    Path root;

    private RuleStorageScanner scanner;
    private Map<String, EmittedGroup> emitted = Map.of();
    private ScanResult last;
    /** Every write gets a later modification time, so changes never hide in a coarse clock. */
    private long mtime = 1_700_000_000_000L;

    @BeforeEach
    void newScanner() {
        scanner = new RuleStorageScanner(root.toUri().toString());
    }

    private List<String> scan() {
        last = scanner.scan(emitted, 42L);
        emitted = last.emitted();
        for (RuleGroupChange c : last.changes()) assertEquals(42L, c.seenAtMs());
        return last.changes().stream().map(RuleGroupChange::toString).toList();
    }

    private Path write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        mtime += 1000;
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
        return file;
    }

    private static String groups(String... nameAndInterval) {
        StringBuilder sb = new StringBuilder("groups:\n");
        for (int i = 0; i < nameAndInterval.length; i += 2) {
            sb.append("  - name: ").append(nameAndInterval[i]).append('\n')
              .append("    interval: ").append(nameAndInterval[i + 1]).append('\n')
              .append("    rules: []\n");
        }
        return sb.toString();
    }

    @Test
    void addedChangedAndDeletedGroups() throws IOException {
        Path file = write("team-a/rules.yaml", groups("g1", "1m"));
        assertEquals(List.of("ADDED team-a/rules/g1"), scan());
        RuleGroupChange added = last.changes().get(0);
        assertEquals("team-a", added.group().tenant());
        assertEquals(60_000L, added.group().intervalMs());

        write("team-a/rules.yaml", groups("g1", "2m", "g2", "1m"));
        assertEquals(List.of("CHANGED team-a/rules/g1", "ADDED team-a/rules/g2"), scan());
        assertEquals(120_000L, last.changes().get(0).group().intervalMs());

        assertEquals(List.of(), scan());

        Files.delete(file);
        assertEquals(List.of("DELETED team-a/rules/g1", "DELETED team-a/rules/g2"), scan());
        assertNull(last.changes().get(0).group());
        assertTrue(emitted.isEmpty());
    }

    @Test
    void tenantsAreFoldersAndOnlyVisibleYamlFilesCount() throws IOException {
        write("team-a/one.yml", groups("g", "1m"));
        write("team-b/two.YAML", groups("g", "1m"));
        write("team-b/notes.txt", "not rules");
        write("team-b/.hidden.yaml", groups("hidden", "1m"));
        write(".trash/old.yaml", groups("old", "1m"));
        write("team-c/..data/rules.yaml", groups("configmap-internal", "1m"));
        write("top-level.yaml", groups("nobody", "1m"));
        assertEquals(List.of("ADDED team-a/one/g", "ADDED team-b/two/g"), scan());
    }

    @Test
    void aBrokenFileKeepsItsLastGoodVersionUntilFixed() throws IOException {
        write("t/rules.yaml", groups("g1", "1m", "g2", "1m"));
        assertEquals(List.of("ADDED t/rules/g1", "ADDED t/rules/g2"), scan());

        write("t/rules.yaml", "groups:\n  - name: g1\n    interval: [oops\n");
        assertEquals(List.of(), scan());
        assertTrue(last.complete());
        assertEquals(2, emitted.size());
        long readsAfterBreaking = scanner.filesRead;
        assertEquals(List.of(), scan());
        assertEquals(readsAfterBreaking, scanner.filesRead, "a broken version is not re-read (nor re-logged) every poll");
        assertEquals(1, scanner.invalidFiles(), "the metric counts it");

        write("t/rules.yaml", groups("g1", "5m"));
        assertEquals(List.of("CHANGED t/rules/g1", "DELETED t/rules/g2"), scan());
        assertEquals(0, scanner.invalidFiles());
    }

    @Test
    void recordingRulesChangeWithTheirExpressionNotWithTheirPosition() throws IOException {
        String rules = "groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n";
        write("t/rules.yaml", rules);
        assertEquals(List.of("ADDED t/rules/g"), scan());
        assertEquals("sum by (job) (up)", last.changes().get(0).group().rules().get(0).expr());

        write("t/rules.yaml", "# a comment moves every line down\n\n" + rules);
        assertEquals(List.of(), scan());

        write("t/rules.yaml", rules.replace("sum by (job)", "max by (job)"));
        assertEquals(List.of("CHANGED t/rules/g"), scan());

        write("t/rules.yaml", rules.replace("sum by (job) (up)", "sum by (job) (up"));
        assertEquals(List.of(), scan(), "a PromQL error keeps the last good version");
    }

    @Test
    void aSemanticallyInvalidFileAlsoKeepsItsLastGoodVersion() throws IOException {
        write("t/rules.yaml", groups("g1", "1m"));
        scan();
        write("t/rules.yaml", groups("g1", "1m", "g1", "2m"));  // repeated group name
        assertEquals(List.of(), scan());
        assertEquals(1, emitted.size());
    }

    @Test
    void unchangedFilesAreNotReRead() throws IOException {
        Path file = write("t/rules.yaml", groups("g1", "1m"));
        scan();
        assertEquals(1, scanner.filesRead);
        scan();
        scan();
        assertEquals(1, scanner.filesRead);

        // Same size and modification time: taken as unchanged, so this edit is not seen...
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, groups("g1", "2m"));
        Files.setLastModifiedTime(file, before);
        assertEquals(List.of(), scan());
        assertEquals(1, scanner.filesRead);

        // ...until the modification time moves.
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 1000));
        assertEquals(List.of("CHANGED t/rules/g1"), scan());
        assertEquals(2, scanner.filesRead);
    }

    @Test
    void aRestartedScannerEmitsOnlyWhatChangedMeanwhile() throws IOException {
        write("t/a.yaml", groups("same", "1m"));
        write("t/b.yaml", groups("edited", "1m"));
        Path c = write("t/c.yaml", groups("removed", "1m"));
        assertEquals(3, scan().size());

        // The job is down; storage changes; a new reader starts from the checkpointed state.
        write("t/b.yaml", groups("edited", "3m"));
        Files.delete(c);
        write("t/d.yaml", groups("new", "1m"));
        newScanner();
        assertEquals(List.of("CHANGED t/b/edited", "DELETED t/c/removed", "ADDED t/d/new"), scan());
    }

    @Test
    void afterARestartABrokenFileKeepsTheGroupsEmittedFromIt() throws IOException {
        write("t/a.yaml", groups("g1", "1m", "g2", "1m"));
        scan();
        write("t/a.yaml", "groups: {{{");
        newScanner();  // no good version of a.yaml in memory
        assertEquals(List.of(), scan());
        assertEquals(2, emitted.size());

        write("t/a.yaml", groups("g1", "1m"));
        assertEquals(List.of("DELETED t/a/g2"), scan());
    }

    @Test
    void aFailedListingChangesNothing() throws IOException {
        write("t/a.yaml", groups("g1", "1m"));
        scan();
        Map<String, EmittedGroup> before = emitted;

        RuleStorageScanner missingRoot = new RuleStorageScanner(root.resolve("nope").toUri().toString());
        ScanResult failed = missingRoot.scan(before, 1L);
        assertFalse(failed.complete());
        assertNotNull(failed.failure());
        assertEquals(List.of(), failed.changes());
        assertEquals(before, failed.emitted());
    }

    @Test
    void aGroupDefinedByTwoFilesIsTakenFromTheFirst() throws IOException {
        Path yaml = write("t/a.yaml", groups("g", "1m"));
        write("t/a.yml", groups("g", "1m"));
        assertEquals(List.of("ADDED t/a/g"), scan());
        assertTrue(emitted.get("t/a/g").sourceFile().endsWith("a.yaml"));

        Files.delete(yaml);
        assertEquals(List.of(), scan(), "same content from the other file: nothing to tell downstream");
        assertTrue(emitted.get("t/a/g").sourceFile().endsWith("a.yml"));
    }

    @Test
    void anUnreadableFileIsRetried() throws IOException {
        Path file = write("t/a.yaml", groups("g", "1m"));
        scan();
        assertTrue(file.toFile().setReadable(false));
        try {
            if (Files.isReadable(file)) return;  // running as root: permissions do not stop reads
            write("t/a.yaml", groups("g", "9m"));
            assertTrue(file.toFile().setReadable(false));
            assertEquals(List.of(), scan());
        } finally {
            assertTrue(file.toFile().setReadable(true));
        }
        assertEquals(List.of("CHANGED t/a/g"), scan());
    }

    @Test
    void mimirLayoutOneObjectPerGroup() throws IOException {
        RuleStorageScanner mimir = new RuleStorageScanner(RuleStorageLocation.of(root.toUri().toString()).withLayout(RuleStorageLayout.MIMIR));
        assertTrue(mimir.scan(Map.of(), 1).complete(), "no rules/ folder yet: an empty bucket");
        MimirRuleGroup g = new MimirRuleGroup("g", "app.rules", 60_000, List.of(
                new MimirRuleGroup.Rule("sum(up)", "job:up:sum", "", 0, 0, Map.of(), Map.of())), "team-a", List.of(), 0, 0, false);
        Path object = root.resolve(MimirRuleGroup.objectKey("team-a", "app.rules", "g"));
        Files.createDirectories(object.getParent());
        Files.write(object, g.encode());
        Files.writeString(root.resolve("rules/team-a/not-base64!"), "ignored");
        ScanResult r = mimir.scan(Map.of(), 1);
        assertEquals(List.of("ADDED team-a/app.rules/g"), r.changes().stream().map(Object::toString).toList());
        assertEquals("sum(up)", r.changes().get(0).group().rules().get(0).expr());

        Files.writeString(object, "not protobuf at all");
        Files.setLastModifiedTime(object, FileTime.fromMillis(mtime += 5000));
        ScanResult broken = mimir.scan(r.emitted(), 2);
        assertEquals(List.of(), broken.changes(), "an undecodable object keeps the last good version");
        assertEquals(1, mimir.invalidFiles());

        Files.delete(object);
        assertEquals(List.of("DELETED team-a/app.rules/g"), mimir.scan(broken.emitted(), 3).changes().stream().map(Object::toString).toList());
    }
}
