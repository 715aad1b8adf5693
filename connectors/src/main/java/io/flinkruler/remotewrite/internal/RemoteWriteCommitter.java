package io.flinkruler.remotewrite.internal;

import io.flinkruler.remotewrite.RemoteWriteCommittable;
import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.MetricGroup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flink's committer slot of the sink. Requests are delivered by {@link RemoteWriteDeliveryOperator} before
 * they reach a committer (Flink's committer must finish every request of a checkpoint before it looks at the
 * next one, which would let one unreachable endpoint stall all others), so normally nothing arrives here.
 * Requests that do arrive were restored from committer state written by an earlier release of the sink;
 * they are delivered here, in order, before the commit returns.
 */
public final class RemoteWriteCommitter implements Committer<RemoteWriteCommittable> {
    private final SinkSettings settings;
    private final MetricGroup metricGroup;
    private RemoteWriteHttpSender sender;
    private EndpointMetrics.Registry metrics;
    private final Map<RemoteWriteConfig, RequestDelivery> deliveries = new HashMap<>();

    public RemoteWriteCommitter(SinkSettings settings, MetricGroup metricGroup) {
        this.settings = settings;
        this.metricGroup = metricGroup;
    }

    @Override
    public void commit(Collection<CommitRequest<RemoteWriteCommittable>> requests) throws IOException, InterruptedException {
        if (requests.isEmpty()) return;
        if (sender == null) {
            sender = new RemoteWriteHttpSender(settings.userAgent());
            metrics = new EndpointMetrics.Registry(metricGroup);
        }
        List<CommitRequest<RemoteWriteCommittable>> inOrder = new ArrayList<>(requests);
        inOrder.sort((a, b) -> EndpointLane.LANE_ORDER.compare(a.getCommittable(), b.getCommittable()));
        for (CommitRequest<RemoteWriteCommittable> request : inOrder) {
            RemoteWriteConfig endpoint = request.getCommittable().endpoint();
            RequestDelivery delivery = deliveries.computeIfAbsent(endpoint, e -> new RequestDelivery(e, sender, metrics.forEndpoint(e),
                    settings, System::currentTimeMillis, d -> Thread.sleep(Math.max(1, d.toMillis()))));
            delivery.deliver(request.getCommittable(), () -> delivery.expired(request.getCommittable()));
        }
    }

    @Override
    public void close() throws IOException {
        if (sender != null) sender.close();
    }
}
