package io.flinkruler.rulesource;

import io.flinkruler.source.SplitListSerializer;
import io.flinkruler.source.StaticSplitEnumerator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Source of {@link RuleGroupChange}s from rule storage {@code <root>/<tenant>/<file>.yaml|yml}, read
 * through Flink's file systems (local now, object stores through the same API). One split: run it with
 * parallelism 1 (other subtasks would finish at once). Use {@code WatermarkStrategy.noWatermarks()}:
 * once the rules are loaded the reader marks its output idle (or, loading once, ends with the maximum
 * watermark), so broadcasting this stream into an event-time operator holds that operator back only until then.
 *
 * <p>{@link #continuous} polls forever; {@link #once} loads once and finishes, for jobs over bounded
 * samples that must end. See {@link RuleStorageScanner} for how files, broken files and deletions count.
 */
public final class RuleSource
        implements Source<RuleGroupChange, RuleSourceSplit, List<RuleSourceSplit>>, ResultTypeQueryable<RuleGroupChange> {
    private static final long serialVersionUID = 1L;

    private final RuleStorageLocation location;
    /** Null: load once. */
    private final Duration pollInterval;

    private RuleSource(RuleStorageLocation location, Duration pollInterval) {
        this.location = Objects.requireNonNull(location, "location");
        this.pollInterval = pollInterval;
    }

    /** Polls the storage every {@code pollInterval}, forever (an unbounded source). */
    public static RuleSource continuous(RuleStorageLocation location, Duration pollInterval) {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) throw new IllegalArgumentException("pollInterval must be positive");
        return new RuleSource(location, pollInterval);
    }

    /** Polls {@code root} (through Flink's configured filesystems) every {@code pollInterval}. */
    public static RuleSource continuous(String root, Duration pollInterval) {
        return continuous(RuleStorageLocation.of(root), pollInterval);
    }

    /** Loads the storage once and finishes (a bounded source); fails when the storage cannot be listed. */
    public static RuleSource once(RuleStorageLocation location) {
        return new RuleSource(location, null);
    }

    public static RuleSource once(String root) {
        return once(RuleStorageLocation.of(root));
    }

    public String root() { return location.root(); }

    public RuleStorageLocation location() { return location; }

    /** Empty for {@link #once}. */
    public java.util.Optional<Duration> pollInterval() { return java.util.Optional.ofNullable(pollInterval); }

    @Override
    public Boundedness getBoundedness() {
        return pollInterval == null ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<RuleSourceSplit, List<RuleSourceSplit>> createEnumerator(SplitEnumeratorContext<RuleSourceSplit> context) {
        return new StaticSplitEnumerator<>(context, List.of(RuleSourceSplit.initial()));
    }

    @Override
    public SplitEnumerator<RuleSourceSplit, List<RuleSourceSplit>> restoreEnumerator(
            SplitEnumeratorContext<RuleSourceSplit> context, List<RuleSourceSplit> unassigned) {
        return new StaticSplitEnumerator<>(context, unassigned);
    }

    @Override
    public SimpleVersionedSerializer<RuleSourceSplit> getSplitSerializer() { return RuleSourceSplitSerializer.INSTANCE; }

    @Override
    public SimpleVersionedSerializer<List<RuleSourceSplit>> getEnumeratorCheckpointSerializer() {
        return new SplitListSerializer<>(RuleSourceSplitSerializer.INSTANCE);
    }

    @Override
    public SourceReader<RuleGroupChange, RuleSourceSplit> createReader(SourceReaderContext context) {
        return new RuleSourceReader(context, location, pollInterval, System::currentTimeMillis);
    }

    @Override
    public TypeInformation<RuleGroupChange> getProducedType() { return RuleGroupChangeTypeInfoFactory.TYPE_INFO; }
}
