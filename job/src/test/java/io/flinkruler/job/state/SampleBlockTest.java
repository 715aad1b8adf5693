package io.flinkruler.job.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The binary form in which samples wait in an append-only shard storage. */
class SampleBlockTest {

    private static byte[] bytes(SampleBlock b) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        SampleBlock.Serializer.INSTANCE.serialize(b, out);
        return out.getCopyOfBuffer();
    }

    private static SampleBlock read(byte[] bytes) throws IOException {
        return SampleBlock.Serializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
    }

    @Test
    void roundTripsSeriesRepeatedOrNotWithManyDistinctStrings() throws IOException {
        int n = 1000;
        Labels[] series = new Labels[n];
        long[] ts = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            // 300 hosts: string numbers beyond one varint byte; runs of one series; a non-ASCII value; NaN and -0.0
            series[i] = i % 7 == 3 ? series[i - 1] : Labels.of("__name__", "m" + i % 5, "instance", "host-" + i % 300, "zone", "zürich");
            ts[i] = 1_700_000_000_000L + i;
            values[i] = i % 11 == 0 ? Double.NaN : i % 13 == 0 ? -0.0 : i * 0.5;
        }
        SampleBlock block = new SampleBlock(1_699_999_999_999L, series, ts, values);
        SampleBlock back = read(bytes(block));
        assertEquals(block.watermark(), back.watermark());
        assertArrayEquals(series, back.series());
        assertArrayEquals(ts, back.timestampsMs());
        for (int i = 0; i < n; i++) assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(back.values()[i]));
        assertSame(back.series()[2], back.series()[3], "consecutive samples of a series share their labels");
    }

    @Test
    void eachStringIsWrittenOncePerBlock() throws IOException {
        int n = 512;
        Labels[] series = new Labels[n];
        long perSeriesLabels = 0;
        DataOutputSerializer labelsAlone = new DataOutputSerializer(64);
        for (int i = 0; i < n; i++) {
            series[i] = Labels.of("__name__", "bench_metric_" + i % 16, "job", "job-" + i % 10, "instance", "host-" + i / 16);
            labelsAlone.clear();
            LabelsCodec.write(series[i], labelsAlone);
            perSeriesLabels += labelsAlone.length();
        }
        int size = bytes(new SampleBlock(0, series, new long[n], new double[n])).length;
        // 16 bytes of timestamp and value per sample; the labels now cost a few bytes each
        assertTrue(size < n * 16 + perSeriesLabels / 4, size + " bytes, labels alone " + perSeriesLabels);
        assertTrue(size > n * 16, size + " bytes");
    }

    @Test
    void emptyBlocksAndEmptyLabelSetsRoundTrip() throws IOException {
        assertEquals(0, read(bytes(new SampleBlock(5, new Labels[0], new long[0], new double[0]))).size());
        SampleBlock one = read(bytes(new SampleBlock(5, new Labels[] {Labels.of()}, new long[] {7}, new double[] {1})));
        assertEquals(Labels.of(), one.series()[0]);
        assertEquals(7, one.timestampsMs()[0]);
    }
}
