package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job that fails once midway while its endpoint is answering 503: requests held undelivered in the delivery
 * stage's checkpointed state at the failure are sent after the restore, and every sample arrives.
 */
class RemoteWriteSinkFailoverTest {
    private static final long T0 = 1_767_225_600_000L;
    private static final int STEPS = 80;

    /** Passes batches on slowly (so that checkpoints happen in between) and fails once, on the first attempt. */
    static final class FailOnce extends RichMapFunction<WriteBatch, WriteBatch> {
        private int seen;

        @Override
        public WriteBatch map(WriteBatch batch) throws Exception {
            Thread.sleep(15);
            if (++seen == STEPS / 2 && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
                throw new IllegalStateException("injected failure");
            }
            return batch;
        }
    }

    @Test
    void undeliveredRequestsSurviveAFailureAndEverySampleArrives() throws Exception {
        try (LocalRemoteWriteReceiver receiver = LocalRemoteWriteReceiver.start(0)) {
            RemoteWriteConfig endpoint = receiver.endpoint();
            Labels series = Labels.of("__name__", "job:requests:rate5m", "job", "api");
            List<WriteBatch> batches = new ArrayList<>();
            for (int step = 0; step < STEPS; step++) {
                batches.add(new WriteBatch("anonymous", List.of(endpoint), new Labels[] {series},
                        new long[] {T0 + step * 15_000L}, new double[] {step}));
            }
            receiver.failNext(60, 503, "ingester restarting");

            Configuration config = new Configuration();
            config.set(PipelineOptions.GENERIC_TYPES, false);
            config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
            config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, config);
            env.enableCheckpointing(100);
            env.fromData(batches)
                    .map(new FailOnce()).returns(WriteBatch.class)
                    .keyBy(b -> "g", Types.STRING)
                    .sinkTo(RemoteWriteSink.builder().maxSamplesPerSend(2).minBackoff(Duration.ofMillis(20))
                            .maxBackoff(Duration.ofMillis(40)).build())
                    .uid("remote-write");
            env.execute("remote-write failover test");

            Map<Long, Double> firstSeen = new HashMap<>();
            Set<Long> order = new LinkedHashSet<>();
            for (ReceivedSample s : receiver.samples()) {
                Double earlier = firstSeen.putIfAbsent(s.timestampMs(), s.value());
                if (earlier != null) assertEquals(earlier, s.value(), "a re-sent sample is identical");
                order.add(s.timestampMs());
            }
            assertEquals(STEPS, firstSeen.size(), "every sample arrived");
            List<Long> firstArrivals = new ArrayList<>(order);
            for (int i = 1; i < firstArrivals.size(); i++) {
                assertTrue(firstArrivals.get(i - 1) < firstArrivals.get(i), "in order: " + firstArrivals);
            }
            assertTrue(receiver.requests().stream().filter(r -> r.status() == 503).count() == 60);
        }
    }
}
