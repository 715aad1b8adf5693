package io.flinkruler.job.backfill;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
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
 */
public final class RulesLookbehind {
    private RulesLookbehind() {}

    public static long of(String rulesRoot, EvaluationDefaults defaults) throws IOException {
        Path root = new Path(rulesRoot);
        FileSystem fs = root.getFileSystem();
        long lookbehind = defaults.lookbackDeltaMs() + defaults.queryOffsetMs();
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
