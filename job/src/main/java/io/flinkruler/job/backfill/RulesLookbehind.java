package io.flinkruler.job.backfill;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleFileSystems;
import io.flinkruler.rulesource.RuleStorageLayout;
import io.flinkruler.rulesource.RuleStorageLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * How far before its first evaluation timestamp a backfill needs samples: the longest range, lookback and
 * offset of any rule plus its group's query_offset ({@link CompiledGroup#retentionMs()}), over the rule files in
 * storage ({@code <root>/<tenant>/*.yaml|yml}, read through Flink's file systems). Broken files count for nothing.
 * Storage in another layout (Mimir's) is not inspected: {@link #UNINSPECTED_MS} is assumed.
 */
public final class RulesLookbehind {
    private RulesLookbehind() {}

    /** What a backfill replays before its window when the rules cannot be looked at: more than most rules need. */
    public static final long UNINSPECTED_MS = 3_600_000;

    public static long of(RuleStorageLocation storage, EvaluationDefaults defaults) throws IOException {
        long lookbehind = defaults.lookbackDeltaMs() + defaults.queryOffsetMs();
        if (storage.layout() != RuleStorageLayout.RULE_FILES) return Math.max(lookbehind, UNINSPECTED_MS);
        Path root = new Path(storage.root());
        FileSystem fs = RuleFileSystems.open(storage);
        FileStatus[] tenants = fs.listStatus(root);
        if (tenants == null) return lookbehind;
        for (FileStatus tenant : tenants) {
            if (!tenant.isDir() || tenant.getPath().getName().startsWith(".")) continue;
            FileStatus[] files = fs.listStatus(tenant.getPath());
            if (files == null) continue;
            for (FileStatus file : files) {
                String name = file.getPath().getName();
                if (file.isDir() || name.startsWith(".") || !(name.endsWith(".yaml") || name.endsWith(".yml"))) continue;
                String text;
                try (InputStream in = fs.open(file.getPath())) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                for (RuleGroup g : RuleFileParser.parse(tenant.getPath().getName(), name, text).groups()) {
                    lookbehind = Math.max(lookbehind, CompiledGroup.compile(g, defaults).retentionMs());
                }
            }
        }
        return lookbehind;
    }
}
