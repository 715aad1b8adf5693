package io.flinkruler.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one JVM) on free 127.0.0.1 ports, started with
 * {@code scripts/start-kafka.sh} in a work directory that keeps its config and log ({@code kafka.log}).
 * Topics are not created automatically: {@link #createTopic} them with the partitions a test needs.
 *
 * <p>Fails (never skips) when the Kafka jars are missing: run {@code scripts/install-test-deps.sh}.
 * {@link #close()} stops the broker and deletes its data.
 */
public final class KafkaProcess implements AutoCloseable {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(150);

    private final Path dataDir;
    private final int port;
    private volatile boolean closed;

    private KafkaProcess(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts a broker and waits until it serves (~5 s on an idle machine, ~20 s on a busy one). */
    public static KafkaProcess start() {
        String failures = "";
        for (int attempt = 0; attempt < 3; attempt++) {   // the free ports may be taken before the broker binds them
            Path dir = WorkDirs.create("kafka");
            int port = FreePorts.pair();
            KafkaProcess kafka = new KafkaProcess(dir, port);
            ShutdownCleanup.register(kafka);
            CliResult r = Commands.run(SCRIPT_TIMEOUT, dir.resolve("start-kafka.out"),
                    ProjectScripts.command("start-kafka.sh", Integer.toString(port), dir.toString()));
            if (r.succeeded()) return kafka;
            kafka.close();
            failures += r.output();
            if (!r.output().contains("already in use") && !r.output().contains("BindException")) break;
        }
        throw new IllegalStateException("kafka did not start:\n" + failures);
    }

    public String bootstrapServers() { return "127.0.0.1:" + port; }

    public Path dataDir() { return dataDir; }

    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + " on " + bootstrapServers() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A producer of raw bytes that waits for the broker's acknowledgement of every record. */
    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    public String logTail(int lines) { return Commands.tail(dataDir.resolve("kafka.log"), lines); }

    /** Stops the broker (SIGTERM, SIGKILL after 30 s) and deletes its data; the log stays. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        CliResult r = Commands.run(SCRIPT_TIMEOUT, dataDir.resolve("stop.out"), ProjectScripts.command("stop-pids.sh", dataDir.toString()));
        if (!r.succeeded()) System.err.println("testsupport: stop-pids.sh " + dataDir + ": " + r.output());
        WorkDirs.deleteRecursively(dataDir.resolve("logs"));
        ShutdownCleanup.unregister(this);
    }

    @Override
    public String toString() { return "kafka " + bootstrapServers() + " in " + dataDir; }
}
