package io.flinkruler.testsupport;

import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A bounded job for the cluster self-test: sums 1..N per parity (keyed state) and prints the running sums as
 * "sum=S" to the TaskManager's stdout; the last one per parity is the total (N=1000: 250000 odd, 250500 even).
 * Args: N (default 1000).
 */
public final class TrivialCountJob {
    private TrivialCountJob() {}

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1000;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(1, n)
                .keyBy(new Parity())
                .reduce(new Sum())
                .map(new Label())
                .print();
        env.execute("trivial-count-job n=" + n);
    }

    static final class Parity implements KeySelector<Long, Long> {
        @Override
        public Long getKey(Long v) { return v % 2; }
    }

    static final class Sum implements ReduceFunction<Long> {
        @Override
        public Long reduce(Long a, Long b) { return a + b; }
    }

    static final class Label implements org.apache.flink.api.common.functions.MapFunction<Long, String> {
        @Override
        public String map(Long sum) { return "sum=" + sum; }
    }
}
