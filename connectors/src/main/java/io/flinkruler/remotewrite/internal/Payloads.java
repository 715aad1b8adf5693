package io.flinkruler.remotewrite.internal;

import io.flinkruler.remotewrite.RemoteWriteCommittable;
import io.flinkruler.remotewrite.SeriesSamples;
import io.flinkruler.remotewrite.WriteRequestCodec;
import io.flinkruler.remotewrite.WriteRequestV2Codec;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;

import java.io.IOException;
import java.util.List;

/** Request bodies in either protocol version, and requests rebuilt from a list of series. */
public final class Payloads {
    private Payloads() {}

    public static byte[] encode(List<SeriesSamples> series, ProtobufMessage format) {
        return format == ProtobufMessage.V2 ? WriteRequestV2Codec.encodeCompressed(series) : WriteRequestCodec.encodeCompressed(series);
    }

    public static List<SeriesSamples> decode(byte[] snappyPayload, ProtobufMessage format) throws IOException {
        return format == ProtobufMessage.V2 ? WriteRequestV2Codec.decodeCompressed(snappyPayload) : WriteRequestCodec.decodeCompressed(snappyPayload);
    }

    /** {@code request} with its body replaced by {@code series} in {@code format} (same position, same age). */
    public static RemoteWriteCommittable rebuild(RemoteWriteCommittable request, List<SeriesSamples> series, ProtobufMessage format) {
        int samples = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (SeriesSamples s : series) {
            samples += s.size();
            for (int i = 0; i < s.size(); i++) {
                min = Math.min(min, s.timestampMs(i));
                max = Math.max(max, s.timestampMs(i));
            }
        }
        return request.withPayload(format, encode(series, format), samples, series.size(), min, max);
    }
}
