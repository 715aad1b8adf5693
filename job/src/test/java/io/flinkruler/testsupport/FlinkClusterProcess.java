package io.flinkruler.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A standalone Flink 2.3 session cluster (one JobManager and one TaskManager, separate JVMs, 2 slots) on free
 * 127.0.0.1 ports, started with {@code scripts/start-flink-cluster.sh} in a work directory that keeps its config,
 * logs ({@code log/}; the outputs of scripts and CLI calls in {@code commands/}), checkpoints and savepoints. Jobs are submitted with the real CLI ({@code scripts/flink-cli.sh}).
 *
 * <p>Needs the Flink jars that {@code scripts/install-test-deps.sh} puts into {@code ~/.cache/flink-ruler}
 * (or {@code $FLINK_RULER_CACHE}); fails with that hint when they are missing.
 */
public final class FlinkClusterProcess implements AutoCloseable {
    public static final String FLINK_VERSION = "2.3.0";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(150);
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Set<String> TERMINAL_STATES = Set.of("FINISHED", "FAILED", "CANCELED");

    private final Path dataDir;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger commandCount = new AtomicInteger();
    private volatile boolean closed;

    private FlinkClusterProcess(Path dataDir, int restPort) {
        this.dataDir = dataDir;
        this.restPort = restPort;
    }

    /** Starts the cluster and waits until the TaskManager has registered (~7-12 s). */
    public static FlinkClusterProcess start() {
        Path lib = flinkLib();
        if (!Files.isRegularFile(lib.resolve(".complete"))) {
            throw new IllegalStateException("no Flink " + FLINK_VERSION + " jars in " + lib + ": run scripts/install-test-deps.sh");
        }
        Path dir = WorkDirs.create("flink");
        String failures = "";
        for (int attempt = 0; attempt < 3; attempt++) {   // the free ports may be taken before the JobManager binds them
            int port = FreePorts.pair();
            FlinkClusterProcess cluster = new FlinkClusterProcess(dir, port);
            ShutdownCleanup.register(cluster);
            CliResult r;
            try {
                r = cluster.script("start-flink-cluster.sh", Integer.toString(port), dir.toString());
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            if (r.succeeded()) return cluster;
            cluster.stopProcesses();
            ShutdownCleanup.unregister(cluster);
            failures += r.output();
            if (!r.output().contains("already in use") && !r.output().contains("BindException")) break;
        }
        throw new IllegalStateException("the Flink cluster did not start (work dir " + dir + "):\n" + failures);
    }

    /** Where install-test-deps.sh puts the Flink jars (the same rule as scripts/common.sh). */
    static Path flinkLib() {
        String cache = System.getenv("FLINK_RULER_CACHE");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "flink-ruler");
        return base.resolve("flink-" + FLINK_VERSION).resolve("lib");
    }

    public String restUrl() { return "http://127.0.0.1:" + restPort; }

    public Path dataDir() { return dataDir; }

    /** {@code flink run -d jar args}: submits detached and returns the job id. */
    public String submit(Path jar, String... args) { return submit(jar, List.of(), args); }

    /** {@code flink run -d runOptions jar args}, e.g. runOptions {@code ["-s", savepoint, "-p", "2"]}; returns the job id. */
    public String submit(Path jar, List<String> runOptions, String... args) {
        List<String> cli = new ArrayList<>(List.of("run", "-d"));
        cli.addAll(runOptions);
        cli.add(jar.toString());
        cli.addAll(List.of(args));
        CliResult r = cli(SCRIPT_TIMEOUT, cli.toArray(new String[0]));
        if (!r.succeeded()) throw new IllegalStateException("flink run -d " + jar + " failed (exit " + r.exitCode() + "):\n" + r.output());
        return jobIdOf(r);
    }

    /** The job id that {@code flink run} printed ("Job has been submitted with JobID ..."). */
    public static String jobIdOf(CliResult runOutput) {
        Matcher m = JOB_ID.matcher(runOutput.output());
        if (!m.find()) throw new IllegalStateException("no JobID in the output of flink run:\n" + runOutput.output());
        return m.group(1);
    }

    /**
     * {@code flink run jar args} attached: returns when the job has ended (exit code 0 when it FINISHED) or kills the
     * CLI after {@code timeout} (then the exception has the output so far; the job may still run: see {@link #close()}).
     */
    public CliResult runToCompletion(Path jar, Duration timeout, String... args) {
        List<String> cli = new ArrayList<>(List.of("run", jar.toString()));
        cli.addAll(List.of(args));
        return cli(timeout, cli.toArray(new String[0]));
    }

    /** Any Flink CLI action against this cluster, e.g. {@code cli(t, "cancel", jobId)} or {@code cli(t, "stop", jobId)}. */
    public CliResult cli(Duration timeout, String... args) {
        List<String> cmd = ProjectScripts.command("flink-cli.sh", dataDir.toString());
        cmd.addAll(List.of(args));
        return Commands.run(timeout, commandOutput("flink-cli"), cmd);
    }

    /** The job's state from {@code /jobs/<id>} (CREATED, RUNNING, FINISHED, FAILED, CANCELED, ...). */
    public String jobState(String jobId) {
        return (String) Json.object(Json.parse(restGet("/jobs/" + jobId))).get("state");
    }

    /** Polls until the job is in one of {@code states} (or a terminal one, then fails if that is not wanted). */
    public String awaitJobState(String jobId, Duration timeout, String... states) {
        Set<String> wanted = Set.of(states);
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = null;
        while (System.nanoTime() < deadline) {
            state = jobState(jobId);
            if (wanted.contains(state)) return state;
            if (TERMINAL_STATES.contains(state)) break;
            pause(200);
        }
        throw new IllegalStateException("job " + jobId + " is " + state + ", not " + wanted + "; log tails:\n" + logTail(30));
    }

    /** Registered TaskManagers according to {@code /overview}. */
    public int taskManagerCount() {
        return ((Number) Json.object(Json.parse(restGet("/overview"))).get("taskmanagers")).intValue();
    }

    /** GET on the REST API, e.g. {@code restGet("/jobs/overview")}; the body, or an exception for a non-2xx answer. */
    public String restGet(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new IllegalStateException("GET " + path + " -> HTTP " + r.statusCode() + ": " + r.body());
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + restUrl() + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code kill -9} of the TaskManager; returns once the process is gone (the JobManager notices within seconds). */
    public void killTaskManager() {
        Path pidFile = dataDir.resolve("taskmanager-1.pid");
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException e) {
            throw new IllegalStateException("no TaskManager pid file " + pidFile, e);
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Commands.isRunning(pid)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("TaskManager " + pid + " survived kill -9 for 10 s");
            pause(50);
        }
    }

    /** Starts the TaskManager again (same resource id) and waits until it has registered at the JobManager. */
    public void startTaskManager() {
        CliResult r = script("start-flink-taskmanager.sh", dataDir.toString(), "1");
        if (!r.succeeded()) throw new IllegalStateException("the TaskManager did not start:\n" + r.output());
    }

    /** The last lines of the JobManager's and TaskManager's logs (for failure messages). */
    public String logTail(int lines) {
        Path log = dataDir.resolve("log");
        return "== jobmanager.log\n" + Commands.tail(log.resolve("jobmanager.log"), lines)
                + "\n== taskmanager-1.log\n" + Commands.tail(log.resolve("taskmanager-1.log"), lines)
                + "\n== taskmanager-1.out\n" + Commands.tail(log.resolve("taskmanager-1.out"), lines);
    }

    /** Stops the JobManager and TaskManager (SIGTERM, SIGKILL after 30 s) and deletes tmp/, checkpoints/, savepoints/. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        stopProcesses();
        for (String d : List.of("tmp", "checkpoints", "savepoints")) WorkDirs.deleteRecursively(dataDir.resolve(d));
        ShutdownCleanup.unregister(this);
    }

    private void stopProcesses() {
        CliResult r = script("stop-pids.sh", dataDir.toString());
        if (!r.succeeded()) System.err.println("testsupport: stop-pids.sh " + dataDir + ": " + r.output());
    }

    private CliResult script(String name, String... args) {
        return Commands.run(SCRIPT_TIMEOUT, commandOutput(name.replace(".sh", "")), ProjectScripts.command(name, args));
    }

    /** Outputs of the scripts and CLI calls go to commands/ (the start scripts rotate the files in log/). */
    private Path commandOutput(String name) {
        return dataDir.resolve("commands").resolve(String.format("%03d-%s.out", commandCount.incrementAndGet(), name));
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() { return "flink cluster " + restUrl() + " in " + dataDir; }
}
