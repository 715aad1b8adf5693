package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.internal.RequestAssembler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestAssemblerTest {
    private static final Labels A = Labels.of("__name__", "a");
    private static final Labels B = Labels.of("__name__", "b");

    @Test
    void groupsBySeriesInLabelOrderAndSortsSamplesByTime() throws IOException {
        RequestAssembler assembler = new RequestAssembler();
        assembler.add(B, 30, 3);
        assembler.add(A, 20, 2);
        assembler.add(B, 10, 1);
        assembler.add(A, 10, 1);

        List<RequestAssembler.EncodedRequest> requests = assembler.drain(100);

        assertEquals(1, requests.size());
        assertEquals(4, requests.get(0).sampleCount());
        assertEquals(2, requests.get(0).seriesCount());
        assertEquals(List.of(new SeriesSamples(A, new long[] {10, 20}, new double[] {1, 2}),
                        new SeriesSamples(B, new long[] {10, 30}, new double[] {1, 3})),
                WriteRequestCodec.decodeCompressed(requests.get(0).snappyPayload()));
        assertTrue(assembler.isEmpty());
        assertEquals(List.of(), assembler.drain(100));
    }

    @Test
    void splitsAtMaxSamplesKeepingEachSeriesInTimeOrderAcrossRequests() throws IOException {
        RequestAssembler assembler = new RequestAssembler();
        for (int t = 9; t >= 0; t--) assembler.add(B, t, t);
        for (int t = 0; t < 3; t++) assembler.add(A, t, -t);

        List<RequestAssembler.EncodedRequest> requests = assembler.drain(4);

        assertEquals(List.of(4, 4, 4, 1), requests.stream().map(RequestAssembler.EncodedRequest::sampleCount).toList());
        List<Long> timesOfB = new ArrayList<>();
        List<Long> timesOfA = new ArrayList<>();
        for (RequestAssembler.EncodedRequest request : requests) {
            List<SeriesSamples> series = WriteRequestCodec.decodeCompressed(request.snappyPayload());
            assertEquals(request.seriesCount(), series.size());
            for (SeriesSamples s : series) {
                for (int i = 0; i < s.size(); i++) (s.labels().equals(A) ? timesOfA : timesOfB).add(s.timestampMs(i));
            }
        }
        assertEquals(List.of(0L, 1L, 2L), timesOfA);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), timesOfB);
    }

    @Test
    void sampleWrittenLastWinsForEqualTimestamps() throws IOException {
        RequestAssembler assembler = new RequestAssembler();
        assembler.add(A, 20, 1);
        assembler.add(A, 10, 2);
        assembler.add(A, 20, 3);

        List<RequestAssembler.EncodedRequest> requests = assembler.drain(10);

        assertEquals(2, requests.get(0).sampleCount());
        assertEquals(List.of(new SeriesSamples(A, new long[] {10, 20}, new double[] {2, 3})),
                WriteRequestCodec.decodeCompressed(requests.get(0).snappyPayload()));
    }
}
