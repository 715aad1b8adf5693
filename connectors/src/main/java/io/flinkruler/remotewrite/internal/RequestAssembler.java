package io.flinkruler.remotewrite.internal;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.SeriesSamples;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the samples bound for one endpoint between two checkpoints and turns them into remote-write
 * request bodies: samples grouped by series, each series in timestamp order (for equal timestamps the
 * sample written last wins), series in label order, at most {@code maxSamplesPerRequest} samples per
 * request. A series split across requests has its earlier samples in the earlier request, so sending the
 * requests in order delivers every series in timestamp order.
 */
public final class RequestAssembler {
    private final Map<Labels, SeriesBuffer> series = new HashMap<>();
    private int sampleCount;

    public void add(Labels labels, long timestampMs, double value) {
        series.computeIfAbsent(labels, l -> new SeriesBuffer()).add(timestampMs, value);
        sampleCount++;
    }

    public int sampleCount() { return sampleCount; }

    public boolean isEmpty() { return sampleCount == 0; }

    /** The request bodies (snappy-compressed remote-write 1.0 protobuf) in send order; leaves this assembler empty. */
    public List<EncodedRequest> drain(int maxSamplesPerRequest) {
        return drain(maxSamplesPerRequest, ProtobufMessage.V1);
    }

    /** The request bodies in {@code format}, in send order; leaves this assembler empty. */
    public List<EncodedRequest> drain(int maxSamplesPerRequest, ProtobufMessage format) {
        if (maxSamplesPerRequest < 1) throw new IllegalArgumentException("maxSamplesPerRequest must be positive");
        List<Labels> order = new ArrayList<>(series.keySet());
        order.sort(null);
        List<EncodedRequest> requests = new ArrayList<>();
        List<SeriesSamples> current = new ArrayList<>();
        int room = maxSamplesPerRequest;
        for (Labels labels : order) {
            SeriesSamples all = series.get(labels).sortedByTime(labels);
            int from = 0;
            while (from < all.size()) {
                int take = Math.min(room, all.size() - from);
                current.add(slice(all, from, take));
                from += take;
                room -= take;
                if (room == 0) {
                    requests.add(encode(current, maxSamplesPerRequest, format));
                    current = new ArrayList<>();
                    room = maxSamplesPerRequest;
                }
            }
        }
        if (!current.isEmpty()) requests.add(encode(current, maxSamplesPerRequest - room, format));
        series.clear();
        sampleCount = 0;
        return requests;
    }

    private static EncodedRequest encode(List<SeriesSamples> seriesInRequest, int samples, ProtobufMessage format) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (SeriesSamples s : seriesInRequest) {
            // each series is in timestamp order
            min = Math.min(min, s.timestampMs(0));
            max = Math.max(max, s.timestampMs(s.size() - 1));
        }
        return new EncodedRequest(Payloads.encode(seriesInRequest, format), samples, seriesInRequest.size(), min, max);
    }

    private static SeriesSamples slice(SeriesSamples s, int from, int count) {
        if (from == 0 && count == s.size()) return s;
        long[] t = new long[count];
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            t[i] = s.timestampMs(from + i);
            v[i] = s.value(from + i);
        }
        return new SeriesSamples(s.labels(), t, v);
    }

    /** A request body ready to POST, with what it holds (for metrics and logs). */
    public record EncodedRequest(byte[] snappyPayload, int sampleCount, int seriesCount, long minTimestampMs, long maxTimestampMs) {}

    private static final class SeriesBuffer {
        private long[] timestamps = new long[2];
        private double[] values = new double[2];
        private int size;
        private boolean inOrder = true;

        void add(long timestampMs, double value) {
            if (size == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            if (size > 0 && timestampMs <= timestamps[size - 1]) inOrder = false;
            timestamps[size] = timestampMs;
            values[size] = value;
            size++;
        }

        SeriesSamples sortedByTime(Labels labels) {
            if (inOrder) return new SeriesSamples(labels, Arrays.copyOf(timestamps, size), Arrays.copyOf(values, size));
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) order[i] = i;
            // Stable sort: among equal timestamps arrival order is kept, so the last one written is last.
            Arrays.sort(order, (a, b) -> Long.compare(timestamps[a], timestamps[b]));
            long[] t = new long[size];
            double[] v = new double[size];
            int n = 0;
            for (int i = 0; i < size; i++) {
                int k = order[i];
                if (n > 0 && t[n - 1] == timestamps[k]) n--;
                t[n] = timestamps[k];
                v[n] = values[k];
                n++;
            }
            return new SeriesSamples(labels, Arrays.copyOf(t, n), Arrays.copyOf(v, n));
        }
    }
}
