package io.flinkruler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkruler.config.RulerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GEM's ruler.remote_write WAL settings reach the sink as delivery settings. */
class PipelineSettingsFactoryTest {
    @Test
    void walSettingsBecomeDeliverySettings() throws Exception {
        RulerConfig config = RulerConfig.parse("/tmp/ruler.yaml", """
                ruler:
                  storage: {type: local, local: {directory: /tmp/rules}}
                  remote_write:
                    enabled: true
                    min_wal_time: 1h
                    max_wal_time: 5h
                    wal_truncate_frequency: 30m
                source:
                  type: openmetrics
                  openmetrics: {path: /tmp/input.om}
                """, Map.of());
        PipelineSettings settings = PipelineSettingsFactory.from(config, null);
        assertEquals(new PipelineSettings.Delivery(5 * 3_600_000L, 3_600_000L, 1_800_000L), settings.delivery());
    }

    @Test
    void disabledRemoteWriteGroupsSendToTheTenant() throws Exception {
        RulerConfig config = RulerConfig.parse("/tmp/ruler.yaml", """
                ruler:
                  storage: {type: local, local: {directory: /tmp/rules}}
                  remote_write:
                    enabled: false
                source:
                  type: openmetrics
                  openmetrics: {path: /tmp/input.om}
                """, Map.of());
        assertEquals(new PipelineSettings.Delivery(0, 0, 0, false), PipelineSettingsFactory.from(config, null).delivery());
    }

    @Test
    void withoutWalSettingsTheSinkDefaultsApply() throws Exception {
        RulerConfig config = RulerConfig.parse("/tmp/ruler.yaml", """
                ruler:
                  storage: {type: local, local: {directory: /tmp/rules}}
                source:
                  type: openmetrics
                  openmetrics: {path: /tmp/input.om}
                """, Map.of());
        assertEquals(PipelineSettings.Delivery.SINK_DEFAULTS, PipelineSettingsFactory.from(config, null).delivery());
    }
}
