package io.flinkruler.rulesource;

import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;
import org.apache.flink.util.InstantiationUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A content hash of a rule group that is stable across JVMs, so a restored rule source can tell
 * whether stored content differs from what it emitted before. It covers what {@link RuleGroup#equals}
 * covers: the source file and rule positions are cleared first, so moving rules or editing comments
 * is not a change.
 */
public final class RuleGroupHash {
    private RuleGroupHash() {}

    public static long of(RuleGroup g) {
        List<Rule> rules = g.rules().stream()
                .map(r -> new Rule(r.record(), r.alert(), r.expr(), r.labels(), 0, 0, 0))
                .toList();
        RuleGroup content = new RuleGroup(g.tenant(), g.namespace(), g.name(), g.intervalMs(), g.queryOffsetMs(),
                g.limit(), rules, g.remoteWrite(), "", g.labels());
        try {
            // Java serialization of these immutable, sorted-map-only values is deterministic.
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(InstantiationUtil.serializeObject(content));
            return ByteBuffer.wrap(digest).getLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
