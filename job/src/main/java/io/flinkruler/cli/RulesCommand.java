package io.flinkruler.cli;

import io.flinkruler.config.ConfigException;
import io.flinkruler.config.RulerConfig;
import io.flinkruler.rules.Problem;
import io.flinkruler.rules.RuleFileParseResult;
import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupHash;
import io.flinkruler.storage.RuleStorageLocations;
import io.flinkruler.storage.RuleStore;
import io.flinkruler.storage.RuleStore.LocalRuleFile;
import io.flinkruler.storage.RuleStore.StoredNamespace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code flink-ruler rules sync|diff|list}, like mimirtool's, against the rule storage of a config file (any
 * storage type, either layout), through the filesystems the job reads with:
 * <pre>
 *   rules sync --rule-files F... --tenant T --config C [--delete]   make T's namespaces those of the files
 *   rules diff --rule-files F... --tenant T --config C [--delete]   what sync would change
 *   rules list --config C [--tenant T]                              tenant, namespace, group, rules
 * </pre>
 * A file is a namespace (its name without extension). sync writes each namespace whose groups differ; with
 * {@code --delete} it also deletes the tenant's namespaces that no file names. Files with problems stop
 * everything before anything is written. Exit codes: 0 done, 1 problems or a storage error, 2 usage.
 */
final class RulesCommand {
    private RulesCommand() {}

    private record Args(String action, List<String> ruleFiles, String tenant, String config, boolean delete) {}

    /** One group's difference: '+' new, '~' changed, '-' removed. */
    private record Change(char kind, String namespace, String group, String why) {}

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("rules: " + e.getMessage());
            usage(err);
            return 2;
        }
        RulerConfig config;
        try {
            config = RulerConfig.load(Path.of(args.config()));
        } catch (ConfigException e) {
            e.errors().forEach(err::println);
            return 1;
        } catch (IOException e) {
            err.println("rules: cannot read " + args.config() + ": " + e.getMessage());
            return 1;
        }
        try {
            RuleStore store = RuleStore.open(RuleStorageLocations.of(config.ruler().storage()));
            return switch (args.action()) {
                case "list" -> list(store, args.tenant(), out);
                case "diff", "sync" -> syncOrDiff(store, args, out, err);
                default -> throw new IllegalStateException(args.action());
            };
        } catch (IOException | RuntimeException e) {
            // storage errors name the object and the cause; credentials are never part of them
            err.println("rules " + args.action() + ": " + e);
            return 1;
        }
    }

    private static int list(RuleStore store, String onlyTenant, PrintStream out) throws IOException {
        List<String> tenants = onlyTenant != null ? List.of(onlyTenant) : store.tenants();
        int groups = 0;
        for (String tenant : tenants) {
            for (StoredNamespace ns : store.read(tenant).values()) {
                for (RuleGroup g : ns.groups().values()) {
                    out.println(tenant + "\t" + ns.name() + "\t" + g.name() + "\t" + g.rules().size() + " rule(s)"
                            + (g.intervalMs() > 0 ? "\tinterval " + g.intervalMs() / 1000 + "s" : ""));
                    groups++;
                }
                for (String p : ns.problems()) out.println(tenant + "\t" + ns.name() + "\t(invalid)\t" + p);
            }
        }
        out.println(groups + " group(s) in " + store.root());
        return 0;
    }

    private static int syncOrDiff(RuleStore store, Args args, PrintStream out, PrintStream err) throws IOException {
        Map<String, LocalRuleFile> local = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (String f : args.ruleFiles()) {
            String text = Files.readString(Path.of(f), StandardCharsets.UTF_8);
            RuleFileParseResult r = RuleFileParser.parse(args.tenant(), f, text);
            problems.addAll(r.problems());
            String namespace = RuleFileParser.namespaceOf(f);
            if (local.put(namespace, new LocalRuleFile(f, namespace, text, r.groups())) != null) {
                problems.add(new Problem(f, 1, 1, "namespace " + namespace + " is given by two files"));
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.println("rules " + args.action() + ": " + problems.size() + " problem(s) in the rule files; nothing written");
            return 1;
        }
        Map<String, StoredNamespace> stored = store.read(args.tenant());
        List<Change> changes = new ArrayList<>();
        List<String> namespacesToWrite = new ArrayList<>();
        for (LocalRuleFile file : local.values()) {
            StoredNamespace before = stored.get(file.namespace());
            Map<String, RuleGroup> wanted = new TreeMap<>();
            for (RuleGroup g : store.asStored(args.tenant(), file)) wanted.put(g.name(), g);
            int n = changes.size();
            for (RuleGroup g : wanted.values()) {
                RuleGroup old = before == null ? null : before.groups().get(g.name());
                if (old == null) changes.add(new Change('+', file.namespace(), g.name(), ""));
                else if (RuleGroupHash.of(old) != RuleGroupHash.of(g)) changes.add(new Change('~', file.namespace(), g.name(), ""));
            }
            if (before != null) {
                for (String g : before.groups().keySet()) {
                    if (!wanted.containsKey(g)) changes.add(new Change('-', file.namespace(), g, "no longer in " + file.fileName()));
                }
            }
            boolean unreadable = before != null && !before.problems().isEmpty();
            if (changes.size() > n || unreadable) namespacesToWrite.add(file.namespace());
        }
        List<StoredNamespace> namespacesToDelete = new ArrayList<>();
        for (StoredNamespace ns : stored.values()) {
            if (local.containsKey(ns.name())) continue;
            if (args.delete()) namespacesToDelete.add(ns);
            for (String g : ns.groups().keySet()) {
                changes.add(new Change('-', ns.name(), g, args.delete() ? "namespace not in the files" : "kept: namespace not in the files, no --delete"));
            }
        }
        int created = 0, updated = 0, deleted = 0;
        for (Change c : changes) {
            boolean kept = c.why().startsWith("kept");
            out.println((kept ? ' ' : c.kind()) + " " + args.tenant() + "/" + c.namespace() + "/" + c.group() + (c.why().isEmpty() ? "" : "  (" + c.why() + ")"));
            if (kept) continue;
            if (c.kind() == '+') created++;
            else if (c.kind() == '~') updated++;
            else deleted++;
        }
        if (args.action().equals("sync")) {
            for (String ns : namespacesToWrite) store.write(args.tenant(), local.get(ns), stored.get(ns));
            for (StoredNamespace ns : namespacesToDelete) store.delete(ns);
            out.println("Sync summary: " + created + " group(s) created, " + updated + " updated, " + deleted + " deleted in " + store.root());
        } else {
            out.println((created + updated + deleted == 0 ? "No differences" : "Diff summary: " + created + " group(s) to create, "
                    + updated + " to update, " + deleted + " to delete") + " (" + store.root() + ")");
        }
        return 0;
    }

    private static Args parse(String[] argv) {
        if (argv.length == 0) throw new IllegalArgumentException("missing action (sync, diff or list)");
        String action = argv[0];
        if (!List.of("sync", "diff", "list").contains(action)) throw new IllegalArgumentException("unknown action " + action);
        List<String> files = new ArrayList<>();
        String tenant = null, config = null;
        boolean delete = false;
        for (int i = 1; i < argv.length; i++) {
            switch (argv[i]) {
                case "--rule-files" -> {
                    while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) files.add(argv[++i]);
                }
                case "--tenant", "--id" -> tenant = value(argv, ++i, "--tenant");
                case "--config", "-c" -> config = value(argv, ++i, "--config");
                case "--delete" -> delete = true;
                default -> throw new IllegalArgumentException("unknown argument " + argv[i]);
            }
        }
        if (config == null) throw new IllegalArgumentException("--config is required");
        if (!action.equals("list")) {
            if (tenant == null) throw new IllegalArgumentException("--tenant is required");
            if (files.isEmpty()) throw new IllegalArgumentException("--rule-files needs at least one file");
        }
        if (tenant != null && (tenant.isEmpty() || tenant.contains("/") || tenant.startsWith("."))) {
            throw new IllegalArgumentException("--tenant must be a name without '/'");
        }
        return new Args(action, files, tenant, config, delete);
    }

    private static String value(String[] argv, int i, String flag) {
        if (i >= argv.length) throw new IllegalArgumentException(flag + " needs a value");
        return argv[i];
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: flink-ruler rules sync --rule-files FILE... --tenant T --config C [--delete]
                       flink-ruler rules diff --rule-files FILE... --tenant T --config C [--delete]
                       flink-ruler rules list --config C [--tenant T]""");
    }
}
