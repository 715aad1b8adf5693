package io.flinkruler.config;

import io.flinkruler.rules.RemoteWriteConfig;
import java.io.Serializable;
import java.util.Optional;

/**
 * The {@code ruler} block (GEM's names). {@code tenantRemoteWrite} is where the results of groups
 * without their own {@code remote_write} go, GEM's "stored within the tenant"; the job adds
 * {@code X-Scope-OrgID: <tenant>} to it.
 */
public final class RulerSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final long DEFAULT_EVALUATION_INTERVAL_MS = 60_000;
    public static final long DEFAULT_QUERY_OFFSET_MS = 0;
    public static final long DEFAULT_POLL_INTERVAL_MS = 60_000;

    private final String externalUrl;
    private final long evaluationIntervalMs;
    private final long queryOffsetMs;
    private final long pollIntervalMs;
    private final RuleStorageConfig storage;
    private final RemoteWriteConfig tenantRemoteWrite;
    private final RulerRemoteWriteSettings remoteWrite;

    public RulerSettings(String externalUrl, long evaluationIntervalMs, long queryOffsetMs, long pollIntervalMs,
                         RuleStorageConfig storage, RemoteWriteConfig tenantRemoteWrite, RulerRemoteWriteSettings remoteWrite) {
        this.externalUrl = externalUrl;
        this.evaluationIntervalMs = evaluationIntervalMs;
        this.queryOffsetMs = queryOffsetMs;
        this.pollIntervalMs = pollIntervalMs;
        this.storage = storage;
        this.tenantRemoteWrite = tenantRemoteWrite;
        this.remoteWrite = remoteWrite;
    }

    /** GEM's external URL, shown in logs only; "" when not set. */
    public String externalUrl() { return externalUrl; }
    /** The interval of groups that set none. */
    public long evaluationIntervalMs() { return evaluationIntervalMs; }
    /** The query offset of groups that set none. */
    public long queryOffsetMs() { return queryOffsetMs; }
    /** How often rule storage is re-read for changed groups. */
    public long pollIntervalMs() { return pollIntervalMs; }
    public RuleStorageConfig storage() { return storage; }
    public Optional<RemoteWriteConfig> tenantRemoteWrite() { return Optional.ofNullable(tenantRemoteWrite); }
    public RulerRemoteWriteSettings remoteWrite() { return remoteWrite; }

    @Override
    public String toString() {
        return "RulerSettings{evaluationInterval=" + evaluationIntervalMs + "ms, queryOffset=" + queryOffsetMs
                + "ms, pollInterval=" + pollIntervalMs + "ms, storage=" + storage + ", tenantRemoteWrite=" + tenantRemoteWrite
                + ", remoteWrite=" + remoteWrite + "}";
    }
}
