package io.flinkruler.job.backfill;

import io.flinkruler.model.StaleMarker;
import io.flinkruler.remotewrite.WriteBatch;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.Encoder;

/**
 * A batch of recorded samples as OpenMetrics sample lines. Staleness markers are left out: OpenMetrics text
 * cannot express them (a series that stops just ends, and the lookback delta hides it 5m later).
 */
public final class OpenMetricsEncoder implements Encoder<WriteBatch> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(WriteBatch batch, OutputStream stream) throws IOException {
        StringBuilder sb = new StringBuilder(64 * batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (StaleMarker.is(batch.value(i))) continue;
            OpenMetricsLines.appendSample(sb, batch.series(i), batch.value(i), batch.timestampMs(i));
        }
        stream.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
