package io.flinkruler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code job.state_backend} and {@code job.checkpoint_dir}; object-store locations of inputs stay URIs. */
class JobStateConfigTest {
    private static RulerConfig parse(String yaml) throws ConfigException {
        return RulerConfig.parse("/etc/flink-ruler/config.yaml", yaml, Map.of());
    }

    private static final String RULER = """
            ruler:
              storage: {type: local, local: {directory: rules}}
            """;

    @Test
    void stateBackendAndCheckpointDirAreOptional() throws Exception {
        JobSettings job = parse(RULER).job();
        assertEquals("", job.stateBackend());
        assertEquals("", job.checkpointDir());
    }

    @Test
    void rocksdbWithRelativeAndUriCheckpointDirs() throws Exception {
        JobSettings relative = parse(RULER + "job: {state_backend: rocksdb, checkpoint_dir: ./checkpoints}\n").job();
        assertEquals("rocksdb", relative.stateBackend());
        assertEquals("/etc/flink-ruler/checkpoints", relative.checkpointDir());
        JobSettings s3 = parse(RULER + "job: {state_backend: hashmap, checkpoint_dir: s3://bucket/ruler/checkpoints}\n").job();
        assertEquals("hashmap", s3.stateBackend());
        assertEquals("s3://bucket/ruler/checkpoints", s3.checkpointDir());
    }

    @Test
    void unknownStateBackendIsAnErrorWithItsPosition() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(RULER + "job:\n  state_backend: memory\n"));
        assertTrue(e.errors().stream().anyMatch(m -> m.contains("config.yaml:4:") && m.contains("job.state_backend must be one of hashmap, rocksdb, got \"memory\"")),
                e.errors().toString());
    }

    @Test
    void openMetricsInputOnAFlinkFileSystemStaysAUri() throws Exception {
        SourceConfig source = parse(RULER + "source: {type: openmetrics, openmetrics: {path: \"s3://bucket/input/\"}}\n").source().orElseThrow();
        assertEquals("s3://bucket/input/", source.openmetrics().path());
        SourceConfig local = parse(RULER + "source: {type: openmetrics, openmetrics: {path: data/in.om}}\n").source().orElseThrow();
        assertEquals("/etc/flink-ruler/data/in.om", local.openmetrics().path());
    }
}
