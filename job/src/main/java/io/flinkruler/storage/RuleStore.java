package io.flinkruler.storage;

import io.flinkruler.rules.RuleFileParseResult;
import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.MimirRuleGroup;
import io.flinkruler.rulesource.RuleFileSystems;
import io.flinkruler.rulesource.RuleStorageLayout;
import io.flinkruler.rulesource.RuleStorageLocation;
import io.flinkruler.yaml.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads and writes the rule groups of tenants in rule storage, through the same filesystems and layouts the rule
 * source reads: a rule file per namespace ({@code <root>/<tenant>/<namespace>.yaml}) or, in the Mimir layout, an
 * object per group ({@code <root>/rules/<tenant>/<base64url namespace>/<base64url group>}). For the
 * {@code rules} commands of the CLI.
 */
public final class RuleStore {
    /** A namespace in storage: its valid groups by name, the objects it is stored in, and what could not be read. */
    public record StoredNamespace(String name, Map<String, RuleGroup> groups, List<String> paths, List<String> problems) {}

    /** A local rule file to sync: its namespace (the file name without extension), text and parsed groups. */
    public record LocalRuleFile(String fileName, String namespace, String text, List<RuleGroup> groups) {}

    private final RuleStorageLocation location;
    private final FileSystem fs;
    private final String root;

    private RuleStore(RuleStorageLocation location, FileSystem fs) {
        this.location = location;
        this.fs = fs;
        this.root = location.root().replaceAll("/+$", "");
    }

    public static RuleStore open(RuleStorageLocation location) throws IOException {
        return new RuleStore(location, RuleFileSystems.open(location));
    }

    public String root() { return location.root(); }

    private boolean mimir() { return location.layout() == RuleStorageLayout.MIMIR; }

    private Path tenantDir(String tenant) {
        return new Path(mimir() ? root + "/" + MimirRuleGroup.RULES_PREFIX + "/" + tenant : root + "/" + tenant);
    }

    /** Tenants with at least one folder in storage, sorted. */
    public List<String> tenants() throws IOException {
        Path dir = new Path(mimir() ? root + "/" + MimirRuleGroup.RULES_PREFIX : root);
        List<String> tenants = new ArrayList<>();
        for (FileStatus s : listIfExists(dir)) {
            String name = s.getPath().getName();
            if (s.isDir() && !name.startsWith(".")) tenants.add(name);
        }
        tenants.sort(null);
        return tenants;
    }

    /** The tenant's namespaces by name (sorted). */
    public Map<String, StoredNamespace> read(String tenant) throws IOException {
        Map<String, StoredNamespace> out = new TreeMap<>();
        if (mimir()) {
            for (FileStatus nsDir : listIfExists(tenantDir(tenant))) {
                if (!nsDir.isDir()) continue;
                String namespace;
                try {
                    namespace = MimirRuleGroup.decodeName(nsDir.getPath().getName());
                } catch (IllegalArgumentException e) {
                    continue;
                }
                Map<String, RuleGroup> groups = new TreeMap<>();
                List<String> paths = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                for (FileStatus g : listIfExists(nsDir.getPath())) {
                    if (g.isDir()) continue;
                    paths.add(g.getPath().toString());
                    try {
                        String yaml = MimirRuleGroup.decode(readAll(g.getPath())).toRuleFileYaml();
                        collect(RuleFileParser.parse(tenant, namespace + ".yaml", yaml), groups, problems);
                    } catch (IOException | RuntimeException e) {
                        problems.add(g.getPath() + ": not a Mimir rule group: " + e.getMessage());
                    }
                }
                out.put(namespace, new StoredNamespace(namespace, groups, paths, problems));
            }
            return out;
        }
        List<FileStatus> files = new ArrayList<>(List.of(listIfExists(tenantDir(tenant))));
        files.sort(Comparator.comparing(f -> f.getPath().getName()));
        for (FileStatus f : files) {
            String name = f.getPath().getName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (f.isDir() || name.startsWith(".") || !(lower.endsWith(".yaml") || lower.endsWith(".yml"))) continue;
            String namespace = RuleFileParser.namespaceOf(name);
            StoredNamespace before = out.get(namespace);
            Map<String, RuleGroup> groups = before == null ? new TreeMap<>() : new TreeMap<>(before.groups());
            List<String> paths = before == null ? new ArrayList<>() : new ArrayList<>(before.paths());
            List<String> problems = before == null ? new ArrayList<>() : new ArrayList<>(before.problems());
            paths.add(f.getPath().toString());
            collect(RuleFileParser.parse(tenant, f.getPath().toString(), new String(readAll(f.getPath()), StandardCharsets.UTF_8)),
                    groups, problems);
            out.put(namespace, new StoredNamespace(namespace, groups, paths, problems));
        }
        return out;
    }

    private static void collect(RuleFileParseResult r, Map<String, RuleGroup> groups, List<String> problems) {
        r.problems().forEach(p -> problems.add(p.toString()));
        if (r.valid()) for (RuleGroup g : r.groups()) groups.putIfAbsent(g.name(), g);
    }

    /**
     * Stores a local file as the tenant's namespace, replacing what {@code existing} held: the file itself in the
     * rule-file layout; one object per group in the Mimir layout (groups no longer in the file are deleted).
     */
    public void write(String tenant, LocalRuleFile file, StoredNamespace existing) throws IOException {
        if (!mimir()) {
            Path target = existing != null && !existing.paths().isEmpty() ? new Path(existing.paths().get(0))
                    : new Path(root + "/" + tenant + "/" + file.namespace() + ".yaml");
            put(target, file.text().getBytes(StandardCharsets.UTF_8));
            if (existing != null) for (String other : existing.paths().subList(1, existing.paths().size())) fs.delete(new Path(other), false);
            return;
        }
        List<String> written = new ArrayList<>();
        for (MimirRuleGroup g : toMimir(tenant, file)) {
            Path target = new Path(root + "/" + MimirRuleGroup.objectKey(tenant, g.namespace(), g.name()));
            put(target, g.encode());
            written.add(target.toString());
        }
        if (existing != null) for (String path : existing.paths()) if (!written.contains(path)) fs.delete(new Path(path), false);
    }

    /**
     * The groups of a local file as storage will hold them: as they are in the rule-file layout; in the Mimir layout
     * after the round trip through Mimir's format (which keeps no group labels, limit or remote_write), so that a
     * comparison with what was read back shows real differences only.
     */
    public List<RuleGroup> asStored(String tenant, LocalRuleFile file) {
        if (!mimir()) return file.groups();
        List<RuleGroup> out = new ArrayList<>();
        for (MimirRuleGroup g : toMimir(tenant, file)) {
            RuleFileParseResult r = RuleFileParser.parse(tenant, file.namespace() + ".yaml", g.toRuleFileYaml());
            out.addAll(r.groups());
        }
        return out;
    }

    public void delete(StoredNamespace namespace) throws IOException {
        for (String path : namespace.paths()) fs.delete(new Path(path), false);
    }

    /** An object store's PUT is atomic; a local file is written beside and renamed, so the rule source never reads half. */
    private void put(Path target, byte[] bytes) throws IOException {
        boolean local = "file".equals(target.toUri().getScheme()) || target.toUri().getScheme() == null;
        Path tmp = local ? new Path(target.getParent(), "." + target.getName() + ".tmp") : target;
        if (local) fs.mkdirs(target.getParent());
        try (FSDataOutputStream out = fs.create(tmp, FileSystem.WriteMode.OVERWRITE)) {
            out.write(bytes);
        }
        if (local && !fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
    }

    private byte[] readAll(Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    private FileStatus[] listIfExists(Path dir) throws IOException {
        if (!fs.exists(dir)) return new FileStatus[0];
        FileStatus[] children = fs.listStatus(dir);
        return children == null ? new FileStatus[0] : children;
    }

    /** The groups of a rule file as Mimir stores them, with the fields Mimir keeps (not GEM's remote_write, not limit). */
    @SuppressWarnings("unchecked")
    static List<MimirRuleGroup> toMimir(String tenant, LocalRuleFile file) {
        Map<String, Object> top = new Yaml().load(file.text());
        List<MimirRuleGroup> out = new ArrayList<>();
        if (top == null || !(top.get("groups") instanceof List<?> groups)) return out;
        for (Object o : groups) {
            Map<String, Object> g = (Map<String, Object>) o;
            List<MimirRuleGroup.Rule> rules = new ArrayList<>();
            for (Object r : (List<Object>) g.getOrDefault("rules", List.of())) {
                Map<String, Object> rule = (Map<String, Object>) r;
                rules.add(new MimirRuleGroup.Rule(string(rule.get("expr")), string(rule.get("record")), string(rule.get("alert")),
                        millis(rule.get("for")), millis(rule.get("keep_firing_for")), strings(rule.get("labels")),
                        strings(rule.get("annotations"))));
            }
            List<String> sourceTenants = new ArrayList<>();
            if (g.get("source_tenants") instanceof List<?> l) for (Object t : l) sourceTenants.add(string(t));
            long queryOffset = millis(g.get("query_offset"));
            if (queryOffset == 0) queryOffset = millis(g.get("evaluation_delay"));
            out.add(new MimirRuleGroup(string(g.get("name")), file.namespace(), millis(g.get("interval")), rules, tenant,
                    sourceTenants, 0, queryOffset, false));
        }
        return out;
    }

    private static String string(Object o) { return o == null ? "" : o.toString(); }

    private static long millis(Object o) { return o == null ? 0 : Durations.parseMillis(o.toString()); }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) for (Map.Entry<?, ?> e : m.entrySet()) out.put(string(e.getKey()), string(e.getValue()));
        return out;
    }
}
