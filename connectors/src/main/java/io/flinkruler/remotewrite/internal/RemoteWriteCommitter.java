package io.flinkruler.remotewrite.internal;

import io.flinkruler.remotewrite.RemoteWriteCommittable;
import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Commit half of the remote-write sink: after a checkpoint completes, POSTs its requests. Requests to one
 * endpoint go strictly one after another in {@link RemoteWriteCommittable#SEND_ORDER}; different endpoints
 * are served concurrently so that one slow receiver does not hold up the others within a commit.
 *
 * <p>Retryable failures are retried in place with backoff for at most {@code maxRetryDuration}; then the
 * request and every later request to that endpoint are handed back with {@code retryLater()} (later ones are
 * not attempted, to keep series in timestamp order). Flink calls {@link #commit} again for those, up to
 * {@code sink.committer.retries} times, and then fails the job; after the restore the requests of the
 * checkpoint are re-delivered and re-sent unchanged. A request rejected with a non-retryable status is
 * dropped: logged with the receiver's message, counted, and reported with {@code signalFailedWithKnownReason}.
 */
public final class RemoteWriteCommitter implements Committer<RemoteWriteCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteCommitter.class);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final SinkSettings settings;
    private final RemoteWriteHttpSender sender;
    private final EndpointMetrics.Registry metrics;
    private ExecutorService senderThreads;

    public RemoteWriteCommitter(SinkSettings settings, RemoteWriteHttpSender sender, MetricGroup metricGroup) {
        this.settings = settings;
        this.sender = sender;
        this.metrics = new EndpointMetrics.Registry(metricGroup);
    }

    public EndpointMetrics metricsFor(RemoteWriteConfig endpoint) {
        return metrics.forEndpoint(endpoint);
    }

    @Override
    public void commit(Collection<CommitRequest<RemoteWriteCommittable>> requests) throws IOException, InterruptedException {
        Map<RemoteWriteConfig, List<CommitRequest<RemoteWriteCommittable>>> byEndpoint = new LinkedHashMap<>();
        for (CommitRequest<RemoteWriteCommittable> request : requests) {
            byEndpoint.computeIfAbsent(request.getCommittable().endpoint(), e -> new ArrayList<>()).add(request);
        }
        List<EndpointDelivery> deliveries = new ArrayList<>(byEndpoint.size());
        for (Map.Entry<RemoteWriteConfig, List<CommitRequest<RemoteWriteCommittable>>> entry : byEndpoint.entrySet()) {
            List<CommitRequest<RemoteWriteCommittable>> inOrder = new ArrayList<>(entry.getValue());
            inOrder.sort((a, b) -> RemoteWriteCommittable.SEND_ORDER.compare(a.getCommittable(), b.getCommittable()));
            deliveries.add(new EndpointDelivery(entry.getKey(), inOrder, metrics.forEndpoint(entry.getKey())));
        }
        if (deliveries.size() == 1) {
            deliveries.get(0).deliver();
        } else if (deliveries.size() > 1) {
            deliverConcurrently(deliveries);
        }
        // CommitRequest is not thread-safe: outcomes are applied here, on the task thread.
        for (EndpointDelivery delivery : deliveries) delivery.applyOutcomes();
    }

    private void deliverConcurrently(List<EndpointDelivery> deliveries) throws IOException, InterruptedException {
        if (senderThreads == null) {
            senderThreads = Executors.newFixedThreadPool(settings.senderThreads(), runnable -> {
                Thread thread = new Thread(runnable, "remote-write-sender-" + THREAD_IDS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        List<Future<Void>> futures = new ArrayList<>(deliveries.size());
        for (EndpointDelivery delivery : deliveries) {
            futures.add(senderThreads.submit(() -> {
                delivery.deliver();
                return null;
            }));
        }
        try {
            for (Future<Void> future : futures) future.get();
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof InterruptedException interrupted) throw interrupted;
            throw new IOException("remote-write delivery failed unexpectedly", e.getCause());
        }
    }

    private enum Outcome { DELIVERED, DROPPED, RETRY_LATER }

    /** The requests of one commit bound for one endpoint, sent in order on one thread. */
    private final class EndpointDelivery {
        private final RemoteWriteConfig endpoint;
        private final List<CommitRequest<RemoteWriteCommittable>> requests;
        private final EndpointMetrics endpointMetrics;
        private final Outcome[] outcomes;
        private final SendResult[] lastResults;

        EndpointDelivery(RemoteWriteConfig endpoint, List<CommitRequest<RemoteWriteCommittable>> requests, EndpointMetrics endpointMetrics) {
            this.endpoint = endpoint;
            this.requests = requests;
            this.endpointMetrics = endpointMetrics;
            this.outcomes = new Outcome[requests.size()];
            this.lastResults = new SendResult[requests.size()];
        }

        void deliver() throws InterruptedException {
            for (int i = 0; i < requests.size(); i++) {
                outcomes[i] = sendWithRetries(i, requests.get(i).getCommittable());
                if (outcomes[i] == Outcome.RETRY_LATER) {
                    for (int later = i + 1; later < requests.size(); later++) outcomes[later] = Outcome.RETRY_LATER;
                    return;
                }
            }
        }

        private Outcome sendWithRetries(int index, RemoteWriteCommittable committable) throws InterruptedException {
            long deadline = System.nanoTime() + settings.maxRetryDuration().toNanos();
            Backoff backoff = new Backoff(settings.minBackoff(), settings.maxBackoff());
            while (true) {
                SendResult result = sender.send(endpoint, committable.snappyPayload());
                lastResults[index] = result;
                switch (result.kind()) {
                    case SUCCESS -> {
                        endpointMetrics.requestsSent.inc();
                        endpointMetrics.samplesSent.inc(committable.sampleCount());
                        return Outcome.DELIVERED;
                    }
                    case PERMANENT -> {
                        endpointMetrics.requestsDropped.inc();
                        endpointMetrics.samplesDropped.inc(committable.sampleCount());
                        LOG.error("remote write to {} rejected, dropping {} samples of {} series: {}",
                                endpoint.displayName(), committable.sampleCount(), committable.seriesCount(), result.describe());
                        return Outcome.DROPPED;
                    }
                    case RETRYABLE -> {
                        endpointMetrics.requestsFailed.inc();
                        long remainingNanos = deadline - System.nanoTime();
                        if (remainingNanos <= 0) {
                            LOG.warn("remote write to {} still failing after {}, handing {} back to Flink for a later retry: {}",
                                    endpoint.displayName(), settings.maxRetryDuration(), committable, result.describe());
                            return Outcome.RETRY_LATER;
                        }
                        Duration delay = backoff.next(result.retryAfter());
                        long sleepMillis = Math.min(delay.toMillis(), Math.max(1, remainingNanos / 1_000_000));
                        LOG.warn("remote write to {} failed ({}), retrying in {} ms", endpoint.displayName(), result.describe(), sleepMillis);
                        Thread.sleep(sleepMillis);
                        endpointMetrics.requestsRetried.inc();
                    }
                }
            }
        }

        void applyOutcomes() {
            for (int i = 0; i < requests.size(); i++) {
                CommitRequest<RemoteWriteCommittable> request = requests.get(i);
                switch (outcomes[i]) {
                    case DELIVERED -> { }
                    case DROPPED -> request.signalFailedWithKnownReason(
                            new IOException("rejected by " + endpoint.displayName() + ": " + lastResults[i].describe()));
                    case RETRY_LATER -> request.retryLater();
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (senderThreads != null) senderThreads.shutdownNow();
        sender.close();
    }
}
