package io.flinkruler.kafka;

import io.flinkruler.remotewrite.SeriesSamples;
import io.flinkruler.remotewrite.WriteRequestCodec;
import io.flinkruler.source.Sample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A record value is a remote-write request body, Snappy block-compressed: protobuf 1.0 {@code WriteRequest} or
 * 2.0 {@code io.prometheus.write.v2.Request}, record by record as {@link RemoteWriteVersion#choose} says.
 */
public final class RemoteWriteSampleDecoder implements SampleDecoder {
    private static final long serialVersionUID = 1L;

    @Override
    public void decode(byte[] value, String contentType, String tenant, List<Sample> out) throws UndecodableRecordException {
        byte[] protobuf;
        try {
            protobuf = WriteRequestCodec.decompress(value);
        } catch (IOException e) {
            throw new UndecodableRecordException(UndecodableReason.NOT_SNAPPY, "not a Snappy-compressed remote-write request", e);
        }
        List<SeriesSamples> series = switch (RemoteWriteVersion.choose(contentType, protobuf)) {
            case V1 -> decodeV1(protobuf);
            case V2 -> RemoteWriteV2RequestDecoder.decode(protobuf);
        };
        List<Sample> samples = new ArrayList<>();
        for (SeriesSamples s : series) {
            // receivers reject a request with a label-less series as a whole; so do we
            if (s.labels().size() == 0) {
                throw new UndecodableRecordException(UndecodableReason.INVALID_SAMPLE, "a series without labels");
            }
            for (int i = 0; i < s.size(); i++) samples.add(new Sample(tenant, s.labels(), s.timestampMs(i), s.value(i)));
        }
        out.addAll(samples);
    }

    private static List<SeriesSamples> decodeV1(byte[] protobuf) throws UndecodableRecordException {
        try {
            return WriteRequestCodec.decode(protobuf);
        } catch (IOException | RuntimeException e) {
            throw new UndecodableRecordException(UndecodableReason.NOT_PROTOBUF, "not a remote-write protobuf WriteRequest: " + e.getMessage(), e);
        }
    }
}
