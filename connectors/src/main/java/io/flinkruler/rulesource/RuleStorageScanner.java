package io.flinkruler.rulesource;

import io.flinkruler.rules.Problem;
import io.flinkruler.rules.RuleFileParseResult;
import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads rule storage laid out as {@code <root>/<tenant>/<file>.yaml|yml} (or, in the Mimir layout,
 * {@code <root>/rules/<tenant>/<namespace>/<group>} objects, see {@link MimirRuleGroup}) and tells what changed
 * compared with what was emitted before. Rules of the game:
 * <ul>
 *   <li>A file whose size and modification time are unchanged is not read again.</li>
 *   <li>A file that fails to parse (or to read) keeps the last good version of its groups; its
 *       problems are logged once per file version. After a restart, when no good version is known
 *       in memory, the groups emitted from that file are kept as they were.</li>
 *   <li>A deleted file deletes its groups.</li>
 *   <li>A failed listing changes nothing; the next scan tries again.</li>
 *   <li>A group key defined by two files (e.g. {@code a.yaml} and {@code a.yml}) is taken from the
 *       first file by path, and the clash is logged.</li>
 * </ul>
 * Hidden files and folders (names starting with '.') are ignored, which also skips the {@code ..data}
 * folders of Kubernetes ConfigMap mounts. Not thread-safe: one scan at a time.
 */
final class RuleStorageScanner {
    private static final Logger LOG = LoggerFactory.getLogger(RuleStorageScanner.class);

    /** Result of one scan: the changes to emit, and the emitted state after emitting them. */
    record ScanResult(boolean complete, List<RuleGroupChange> changes, Map<String, EmittedGroup> emitted, String failure) {
        static ScanResult failed(String failure, Map<String, EmittedGroup> emitted) {
            return new ScanResult(false, List.of(), emitted, failure);
        }
    }

    /** What tells a stored file's versions apart without reading it; {@code etag} is null where the filesystem has none. */
    private record FileVersion(long size, long modificationTime, String etag) {
        static FileVersion of(FileStatus status) {
            String etag = status instanceof io.flinkruler.swift.SwiftFileStatus swift ? swift.etag() : null;
            return new FileVersion(status.getLen(), status.getModificationTime(), etag);
        }
    }

    /** A stored file (rule-file layout) or group object (Mimir layout, with its decoded namespace). */
    private record StoredFile(String path, String tenant, FileVersion version, String mimirNamespace) {}

    /**
     * What is known of one file: the version last read (null: never read successfully) and the groups
     * of its last good version (null: none known).
     */
    private record KnownFile(FileVersion version, List<RuleGroup> goodGroups, boolean currentValid, boolean clashReported) {
        KnownFile withClashReported() { return new KnownFile(version, goodGroups, currentValid, true); }
    }

    private record Wanted(RuleGroup group, String sourceFile, long hash) {}

    private final RuleStorageLocation location;
    private final String root;
    /** Opened on first use, so that a filesystem that cannot be created yet is retried like a failed listing. */
    private FileSystem fs;
    private Map<String, KnownFile> known = new HashMap<>();
    private final Map<String, FileVersion> unreadableReported = new HashMap<>();
    private String lastListingFailure;

    RuleStorageScanner(RuleStorageLocation location) {
        this.location = location;
        this.root = location.root();
    }

    RuleStorageScanner(String root) {
        this(RuleStorageLocation.of(root));
    }

    private FileSystem fs() throws IOException {
        if (fs == null) fs = RuleFileSystems.open(location);
        return fs;
    }

    /** Files read (not just listed) so far: unchanged files are not read again. */
    volatile long filesRead;
    private volatile int invalidFiles;

    /** Files whose current version is not valid (their last good version stays in force), as of the last scan. */
    int invalidFiles() { return invalidFiles; }

    ScanResult scan(Map<String, EmittedGroup> emitted, long nowMs) {
        List<StoredFile> listed;
        try {
            listed = list();
        } catch (IOException | RuntimeException e) {
            String failure = "cannot list rule storage " + root + ": " + e;
            if (!failure.equals(lastListingFailure)) LOG.error("{}; keeping all rules and retrying", failure);
            lastListingFailure = failure;
            return ScanResult.failed(failure, emitted);
        }
        if (lastListingFailure != null) LOG.info("Rule storage {} can be listed again", root);
        lastListingFailure = null;

        Map<String, KnownFile> next = new HashMap<>();
        for (StoredFile file : listed) next.put(file.path(), refresh(file, known.get(file.path())));
        known = next;
        unreadableReported.keySet().retainAll(next.keySet());
        invalidFiles = (int) next.values().stream().filter(k -> k.version() != null && !k.currentValid()).count();

        Map<String, Wanted> wanted = new TreeMap<>();
        Set<String> filesWithoutGoodVersion = new HashSet<>();
        for (StoredFile file : listed) {
            KnownFile k = known.get(file.path());
            if (k.goodGroups() == null) {
                filesWithoutGoodVersion.add(file.path());
                continue;
            }
            for (RuleGroup g : k.goodGroups()) {
                Wanted first = wanted.putIfAbsent(g.key(), new Wanted(g, file.path(), RuleGroupHash.of(g)));
                if (first != null && !k.clashReported()) {
                    LOG.error("Rule group {} in {} is already defined in {}; ignoring this one", g.key(), file.path(), first.sourceFile());
                    known.put(file.path(), k.withClashReported());
                }
            }
        }
        return diff(emitted, wanted, filesWithoutGoodVersion, nowMs);
    }

    private static ScanResult diff(Map<String, EmittedGroup> emitted, Map<String, Wanted> wanted,
                                   Set<String> filesWithoutGoodVersion, long nowMs) {
        List<RuleGroupChange> changes = new ArrayList<>();
        Map<String, EmittedGroup> after = new TreeMap<>();
        for (Map.Entry<String, Wanted> e : wanted.entrySet()) {
            Wanted w = e.getValue();
            EmittedGroup before = emitted.get(e.getKey());
            if (before == null) changes.add(RuleGroupChange.added(w.group(), nowMs));
            else if (before.contentHash() != w.hash()) changes.add(RuleGroupChange.changed(w.group(), nowMs));
            after.put(e.getKey(), new EmittedGroup(w.hash(), w.sourceFile()));
        }
        for (Map.Entry<String, EmittedGroup> e : emitted.entrySet()) {
            if (wanted.containsKey(e.getKey())) continue;
            if (filesWithoutGoodVersion.contains(e.getValue().sourceFile())) {
                // Its file is there but unusable and we know no good version: keep what downstream has.
                after.put(e.getKey(), e.getValue());
            } else {
                changes.add(RuleGroupChange.deleted(e.getKey(), nowMs));
            }
        }
        changes.sort(Comparator.comparing(RuleGroupChange::groupKey));
        return new ScanResult(true, changes, after, null);
    }

    /** The file's known state after looking at its listed version, reading and parsing it if it changed. */
    private KnownFile refresh(StoredFile file, KnownFile before) {
        if (before != null && file.version().equals(before.version())) return before;
        List<RuleGroup> lastGood = before == null ? null : before.goodGroups();
        byte[] bytes;
        try {
            bytes = read(file.path());
        } catch (IOException | RuntimeException e) {
            if (!file.version().equals(unreadableReported.put(file.path(), file.version()))) {
                LOG.error("Cannot read rule file {}: {}; keeping its last good version and retrying", file.path(), e.toString());
            }
            // The old version stays recorded, so the next scan tries this one again.
            return before != null ? before : new KnownFile(null, null, false, false);
        }
        unreadableReported.remove(file.path());
        RuleFileParseResult result = parse(file, bytes);
        for (Problem w : result.warnings()) LOG.warn("{}", w);
        if (!result.valid()) {
            LOG.error("Rule file {} is not valid{}:\n  {}", file.path(),
                    lastGood == null ? "; it has no previous good version" : "; keeping its last good version ("
                            + lastGood.size() + " group(s))",
                    result.problems().stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
            return new KnownFile(file.version(), lastGood, false, false);
        }
        RuleGroup.alertingRulesNotice(result.groups()).ifPresent(notice -> LOG.info("{}: {}", file.path(), notice));
        LOG.info("Loaded {} rule group(s) of tenant {} from {}", result.groups().size(), file.tenant(), file.path());
        return new KnownFile(file.version(), result.groups(), true, false);
    }

    private byte[] read(String path) throws IOException {
        Path p = new Path(path);
        filesRead++;
        try (FSDataInputStream in = fs().open(p)) {
            return in.readAllBytes();
        }
    }

    /**
     * A rule file as it is; a Mimir group object through its rule-file form, so both are validated alike (the
     * problems of a Mimir group name {@code <namespace>.yaml} and lines of that form).
     */
    private static RuleFileParseResult parse(StoredFile file, byte[] bytes) {
        if (file.mimirNamespace() == null) return RuleFileParser.parse(file.tenant(), file.path(), new String(bytes, StandardCharsets.UTF_8));
        String asFile = file.mimirNamespace() + ".yaml";
        try {
            return RuleFileParser.parse(file.tenant(), asFile, MimirRuleGroup.decode(bytes).toRuleFileYaml());
        } catch (IOException | RuntimeException e) {
            return new RuleFileParseResult(List.of(), List.of(new Problem(file.path(), 1, 1,
                    "not a Mimir rule group (protobuf rules.RuleGroupDesc): " + e.getMessage())), List.of());
        }
    }

    /** Every rule file, sorted by path. Throws when the root or a tenant folder cannot be listed. */
    private List<StoredFile> list() throws IOException {
        return location.layout() == RuleStorageLayout.MIMIR ? listMimir() : listRuleFiles();
    }

    /**
     * {@code <root>/rules/<tenant>/<base64url namespace>/<base64url group>}. A missing {@code rules/} folder is an
     * empty bucket (object stores have no empty folders); a folder name that is not base64url is skipped.
     */
    private List<StoredFile> listMimir() throws IOException {
        Path rulesPath = new Path(root.replaceAll("/+$", "") + "/" + MimirRuleGroup.RULES_PREFIX);
        FileSystem fs = fs();
        List<StoredFile> files = new ArrayList<>();
        // A bucket root lists even when empty (and fails for a wrong bucket or credentials); below a prefix, folders
        // exist only while objects do, so an empty prefix is just empty.
        String rootPath = new Path(root).toUri().getPath();
        if (rootPath == null || rootPath.isEmpty() || rootPath.equals("/")) listOrFail(fs, new Path(root));
        if (!fs.exists(rulesPath)) return files;
        for (FileStatus tenantDir : listOrFail(fs, rulesPath)) {
            if (!tenantDir.isDir()) continue;
            String tenant = tenantDir.getPath().getName();
            for (FileStatus nsDir : listOrFail(fs, tenantDir.getPath())) {
                if (!nsDir.isDir()) continue;
                String namespace;
                try {
                    namespace = MimirRuleGroup.decodeName(nsDir.getPath().getName());
                } catch (IllegalArgumentException e) {
                    continue;
                }
                for (FileStatus g : listOrFail(fs, nsDir.getPath())) {
                    if (g.isDir()) continue;
                    files.add(new StoredFile(g.getPath().toString(), tenant, FileVersion.of(g), namespace));
                }
            }
        }
        files.sort(Comparator.comparing(StoredFile::path));
        return files;
    }

    private List<StoredFile> listRuleFiles() throws IOException {
        Path rootPath = new Path(root);
        FileSystem fs = fs();
        List<StoredFile> files = new ArrayList<>();
        for (FileStatus tenantDir : listOrFail(fs, rootPath)) {
            String tenant = tenantDir.getPath().getName();
            if (!tenantDir.isDir() || tenant.startsWith(".")) continue;
            for (FileStatus f : listOrFail(fs, tenantDir.getPath())) {
                String name = f.getPath().getName();
                if (f.isDir() || name.startsWith(".") || !isRuleFileName(name)) continue;
                files.add(new StoredFile(f.getPath().toString(), tenant, FileVersion.of(f), null));
            }
        }
        files.sort(Comparator.comparing(StoredFile::path));
        return files;
    }

    private static FileStatus[] listOrFail(FileSystem fs, Path dir) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        if (children == null) throw new FileNotFoundException(dir + " does not exist");
        return children;
    }

    static boolean isRuleFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml");
    }
}
