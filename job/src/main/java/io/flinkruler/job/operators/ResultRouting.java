package io.flinkruler.job.operators;

import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RuleGroup;
import java.io.Serializable;
import java.util.List;

/**
 * Where a group's results go: its own remote_write endpoints (unless GEM's {@code ruler.remote_write.enabled} is
 * false), else the tenant's endpoint with the tenant header, as GEM stores them in the tenant. Groups with neither
 * are only evaluated — unless the results go into a file (a backfill's {@code --output}), which takes every group's.
 *
 * @param tenantRemoteWrite       the endpoint of groups without their own; null: none
 * @param groupRemoteWriteEnabled false: groups' own remote_write is ignored
 * @param toFile                  results go into a file, not to endpoints: every group's results are kept
 */
public record ResultRouting(RemoteWriteConfig tenantRemoteWrite, boolean groupRemoteWriteEnabled, boolean toFile)
        implements Serializable {

    /** Remote-write groups enabled, results to endpoints. */
    public static ResultRouting toEndpoints(RemoteWriteConfig tenantRemoteWrite) {
        return new ResultRouting(tenantRemoteWrite, true, false);
    }

    /** The endpoints of this group's results (empty when it has none). */
    public List<RemoteWriteConfig> targets(RuleGroup group) {
        if (groupRemoteWriteEnabled && !group.remoteWrite().isEmpty()) return group.remoteWrite();
        if (tenantRemoteWrite == null) return List.of();
        return List.of(tenantRemoteWrite.withHeader("X-Scope-OrgID", group.tenant()));
    }

    /** Whether results of this group leave the job at all. */
    public boolean delivers(RuleGroup group) { return delivers(targets(group)); }

    /** Whether results with these {@link #targets} leave the job at all. */
    public boolean delivers(List<RemoteWriteConfig> targets) { return toFile || !targets.isEmpty(); }

    /** How the log describes where the group's results go. */
    public String describe(RuleGroup group) {
        if (toFile) return "the output file";
        String where = targets(group).stream().map(RemoteWriteConfig::displayName).toList().toString();
        if (!group.remoteWrite().isEmpty() && !groupRemoteWriteEnabled) {
            where += " (its own remote_write is ignored: ruler.remote_write.enabled is false)";
        }
        return where;
    }
}
