package io.flinkruler.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job's configuration file: GEM's {@code ruler} block (so a GEM config's ruler section loads
 * unchanged, settings that Flink replaces producing warnings), the {@code source} of samples and the
 * Flink-side {@code job} block. Relative paths are resolved against the config file's directory and
 * {@code ${VAR}} / {@code ${VAR:-default}} are expanded from the environment in every value.
 *
 * <p>{@link #embeddedDefault()} is the local demo: the classpath resource {@value #DEFAULT_RESOURCE}
 * (generator source, results to {@code http://127.0.0.1:19291/api/v1/write}) with the demo rules. The rules
 * are a copy of the repository's {@code examples/rules} kept as classpath resources under
 * {@value #DEFAULT_RULES_RESOURCE} (a test keeps the two identical), because the shaded jar must run
 * without the repository; they are extracted to a temporary directory that
 * {@code ruler.storage.local.directory} then points at.
 */
public final class RulerConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String DEFAULT_RESOURCE = "flink-ruler-default.yaml";
    public static final String DEFAULT_RULES_RESOURCE = "flink-ruler-default-rules/";
    /** The environment variable through which the embedded default config finds its extracted rules. */
    static final String DEFAULT_RULES_DIR_VARIABLE = "FLINK_RULER_DEFAULT_RULES_DIR";

    private final String file;
    private final RulerSettings ruler;
    private final SourceConfig source;
    private final JobSettings job;
    private final List<String> warnings;

    RulerConfig(String file, RulerSettings ruler, SourceConfig source, JobSettings job, List<String> warnings) {
        this.file = file;
        this.ruler = ruler;
        this.source = source;
        this.job = job;
        this.warnings = List.copyOf(warnings);
    }

    /** Reads a config file, expanding variables from the process environment. */
    public static RulerConfig load(Path file) throws IOException, ConfigException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return parse(file.toString(), text, System.getenv());
    }

    /**
     * Parses config text. {@code fileName} names the file in messages, and its directory is the base of
     * relative paths. All errors are reported together in the exception.
     */
    public static RulerConfig parse(String fileName, String yaml, Map<String, String> env) throws ConfigException {
        return new RulerConfigParser(fileName, env).parse(yaml);
    }

    /** The demo config embedded in the jar (see the class comment). */
    public static RulerConfig embeddedDefault() {
        try {
            Path rulesDir = extractDefaultRules();
            String text = readResource(DEFAULT_RESOURCE);
            return parse("classpath:" + DEFAULT_RESOURCE, text, Map.of(DEFAULT_RULES_DIR_VARIABLE, rulesDir.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the embedded demo rules", e);
        } catch (ConfigException e) {
            throw new IllegalStateException("the embedded default config is invalid:\n" + e.getMessage(), e);
        }
    }

    /** The demo rule files' paths below {@value #DEFAULT_RULES_RESOURCE}, as listed in its {@code index}. */
    static List<String> defaultRuleFiles() throws IOException {
        return readResource(DEFAULT_RULES_RESOURCE + "index").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static Path extractDefaultRules() throws IOException {
        Path dir = Files.createTempDirectory("flink-ruler-default-rules");
        for (String relative : defaultRuleFiles()) {
            Path target = dir.resolve(relative).normalize();
            if (!target.startsWith(dir)) throw new IOException("rule resource outside its directory: " + relative);
            Files.createDirectories(target.getParent());
            try (InputStream in = open(DEFAULT_RULES_RESOURCE + relative)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            target.toFile().deleteOnExit();
            target.getParent().toFile().deleteOnExit();
        }
        dir.toFile().deleteOnExit();
        return dir;
    }

    static String readResource(String name) throws IOException {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = RulerConfig.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new IOException("classpath resource " + name + " not found");
        return in;
    }

    /** The file the config was read from (as given), for messages. */
    public String file() { return file; }
    public RulerSettings ruler() { return ruler; }
    /** The source of samples; empty when the file has no {@code source} block (e.g. a plain GEM config). */
    public Optional<SourceConfig> source() { return Optional.ofNullable(source); }
    public JobSettings job() { return job; }
    /** Settings accepted but not used, each {@code file:line:column: key is not used: why}. */
    public List<String> warnings() { return warnings; }

    @Override
    public String toString() {
        return "RulerConfig{file=" + file + ", ruler=" + ruler + ", source=" + source + ", job=" + job + "}";
    }
}
