package io.flinkruler.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real standalone Flink cluster: start, run jobs with the CLI (attached and detached), replace the TaskManager, stop. */
class FlinkClusterHarnessTest {

    @Test
    void runsAJobAndSurvivesATaskManagerReplacement() throws Exception {
        long begin = System.nanoTime();
        Path jmPid;
        try (FlinkClusterProcess cluster = FlinkClusterProcess.start()) {
            System.out.printf("flink cluster ready in %d ms at %s%n", (System.nanoTime() - begin) / 1_000_000, cluster.restUrl());
            assertEquals(1, cluster.taskManagerCount());

            Path jar = TestJars.withMainClass(TrivialCountJob.class, cluster.dataDir().resolve("trivial-count-job.jar"));
            long run = System.nanoTime();
            CliResult r = cluster.runToCompletion(jar, Duration.ofSeconds(90), "1000");
            System.out.printf("attached job run took %d ms%n", (System.nanoTime() - run) / 1_000_000);
            assertTrue(r.succeeded(), r.output() + "\n" + cluster.logTail(30));
            String jobId = FlinkClusterProcess.jobIdOf(r);
            assertEquals("FINISHED", cluster.jobState(jobId));
            String printed = Files.readString(cluster.dataDir().resolve("log/taskmanager-1.out"));
            assertTrue(printed.contains("sum=250000") && printed.contains("sum=250500"), printed);

            String detached = cluster.submit(jar, List.of("-p", "1"), "2000");
            assertEquals("FINISHED", cluster.awaitJobState(detached, Duration.ofSeconds(90), "FINISHED"));
            assertTrue(Files.readString(cluster.dataDir().resolve("log/taskmanager-1.out")).contains("sum=1001000"));

            long failover = System.nanoTime();
            cluster.killTaskManager();
            cluster.startTaskManager();
            System.out.printf("taskmanager kill + restart took %d ms%n", (System.nanoTime() - failover) / 1_000_000);
            assertEquals(1, cluster.taskManagerCount());
            jmPid = cluster.dataDir().resolve("jobmanager.pid");
            assertTrue(Files.exists(jmPid));
        }
        assertFalse(Files.exists(jmPid), "close() stops the cluster and removes its pid files");
    }
}
