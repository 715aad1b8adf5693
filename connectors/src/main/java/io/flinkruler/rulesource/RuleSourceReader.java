package io.flinkruler.rulesource;

import io.flinkruler.rulesource.RuleStorageScanner.ScanResult;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Scans rule storage in a background thread (listing and reading may be slow on object stores and
 * must not block checkpoints), emits the changes of each scan in the task thread, and keeps the
 * emitted state as the split state. Rule changes are not event-time data: the evaluation operator,
 * whose clock is the minimum over its inputs, must be held back only until the rules are known. So
 * after each complete scan a continuous reader marks its output idle (an idle input does not count
 * towards that minimum; until the first complete scan the input holds event time back), and a single
 * load ends with the maximum watermark.
 *
 * <p>Changes carry the wall-clock time of the scan that saw them, from which the operators decide the
 * evaluation timestamp they apply from; the first load of a reader without state carries
 * {@code Long.MIN_VALUE}: those rules apply from the beginning of the data. A failed scan keeps every
 * rule and is retried with backoff ({@link ScanRetry}).
 *
 * <p>Metrics (on the source's reader group): {@code ruleGroups}, {@code invalidRuleFiles} (files whose
 * current version does not parse; their last good version stays in force), {@code ruleStorageScanFailures},
 * {@code ruleFilesRead}.
 */
final class RuleSourceReader implements SourceReader<RuleGroupChange, RuleSourceSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(RuleSourceReader.class);

    private final RuleStorageScanner scanner;
    /** Null for a single load. */
    private final Duration pollInterval;
    private final ScanRetry retry;
    private final LongSupplier clock;
    private final ExecutorService io;
    private final Counter scanFailures;

    private Map<String, EmittedGroup> emitted;
    /** The restored state was empty: the first scan is the first load of rule storage. */
    private boolean firstLoad;
    private boolean noMoreSplits;
    private boolean loadedOnce;
    private int consecutiveFailures;
    private long nextScanAtMs;
    private CompletableFuture<ScanResult> scanning;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    RuleSourceReader(SourceReaderContext context, RuleStorageLocation location, Duration pollInterval, LongSupplier clock) {
        this(context, location, pollInterval, ScanRetry.forPollInterval(pollInterval), clock);
    }

    RuleSourceReader(SourceReaderContext context, RuleStorageLocation location, Duration pollInterval, ScanRetry retry, LongSupplier clock) {
        this.scanner = new RuleStorageScanner(location);
        this.pollInterval = pollInterval;
        this.retry = retry;
        this.clock = clock;
        this.io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rule-storage-scanner-" + context.getIndexOfSubtask());
            t.setDaemon(true);
            return t;
        });
        MetricGroup metrics = context.metricGroup();
        metrics.gauge("ruleGroups", () -> emitted == null ? 0 : emitted.size());
        metrics.gauge("invalidRuleFiles", scanner::invalidFiles);
        metrics.gauge("ruleFilesRead", () -> scanner.filesRead);
        scanFailures = metrics.counter("ruleStorageScanFailures");
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<RuleGroupChange> output) throws Exception {
        if (emitted == null) return noMoreSplits ? InputStatus.END_OF_INPUT : waitFor(new CompletableFuture<>());
        if (scanning == null) {
            long now = clock.getAsLong();
            if (now < nextScanAtMs) {
                return waitFor(CompletableFuture.runAsync(() -> {},
                        CompletableFuture.delayedExecutor(nextScanAtMs - now, TimeUnit.MILLISECONDS)));
            }
            Map<String, EmittedGroup> state = emitted;
            long seenAt = firstLoad ? Long.MIN_VALUE : now;
            scanning = CompletableFuture.supplyAsync(() -> scanner.scan(state, seenAt), io);
            if (pollInterval != null) nextScanAtMs = now + pollInterval.toMillis();
        }
        if (!scanning.isDone()) return waitFor(scanning.handle((r, e) -> null));
        ScanResult result = scanResult();
        scanning = null;
        if (!result.complete()) {
            scanFailures.inc();
            consecutiveFailures++;
            if (pollInterval == null && consecutiveFailures >= retry.onceAttempts()) {
                throw new IOException("Rules could not be loaded after " + consecutiveFailures + " attempts: " + result.failure());
            }
            long delay = retry.delayAfter(consecutiveFailures);
            LOG.warn("Rule storage scan failed ({} in a row); all rules stay as they are; next attempt in {} ms",
                    consecutiveFailures, delay);
            nextScanAtMs = clock.getAsLong() + delay;
            return InputStatus.MORE_AVAILABLE;
        }
        consecutiveFailures = 0;
        firstLoad = false;
        for (RuleGroupChange change : result.changes()) {
            LOG.info("Rule group {}", change);
            output.collect(change);
        }
        emitted = result.emitted();
        if (!loadedOnce) {
            loadedOnce = true;
            LOG.info("Rules loaded: {} group(s); rule changes no longer hold back event time", emitted.size());
        }
        if (pollInterval == null) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
            return InputStatus.END_OF_INPUT;
        }
        // Idle, not the maximum watermark: were every sample input idle too, the maximum would become the
        // operators' clock and they would evaluate to the end of time. Idle inputs are left out instead.
        output.markIdle();
        return InputStatus.MORE_AVAILABLE;
    }

    private ScanResult scanResult() {
        try {
            return scanning.join();
        } catch (RuntimeException e) {
            LOG.error("Scanning rule storage failed", e);
            return ScanResult.failed(e.toString(), emitted);
        }
    }

    private InputStatus waitFor(CompletableFuture<?> event) {
        CompletableFuture<Void> next = new CompletableFuture<>();
        event.whenComplete((r, e) -> next.complete(null));
        // Splits or the end of splits may arrive while waiting; they complete the current future too.
        available = next;
        return InputStatus.NOTHING_AVAILABLE;
    }

    /** When the next scan is due (clock milliseconds); for tests of the retry schedule. */
    long nextScanAtMs() { return nextScanAtMs; }

    @Override
    public List<RuleSourceSplit> snapshotState(long checkpointId) {
        return emitted == null ? List.of() : List.of(new RuleSourceSplit(emitted));
    }

    @Override
    public CompletableFuture<Void> isAvailable() { return available; }

    @Override
    public void addSplits(List<RuleSourceSplit> splits) {
        if (splits.size() != 1 || emitted != null) throw new IllegalStateException("the rule source has exactly one split");
        emitted = splits.get(0).emitted();
        firstLoad = emitted.isEmpty();
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
