package io.flinkruler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.rules.RuleChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shipped configs load, point at files that exist, and the embedded demo rules match examples/rules. */
class ExampleConfigsTest {
    /** Surefire runs in the module directory; the examples are beside the modules. */
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @Test
    void localGeneratorConfig() throws Exception {
        RulerConfig config = RulerConfig.load(EXAMPLES.resolve("config/local-generator.yaml"));
        assertEquals(List.of(), config.warnings());
        assertEquals(EXAMPLES.resolve("rules"), config.ruler().storage().localDirectoryPath());
        assertTrue(Files.isDirectory(config.ruler().storage().localDirectoryPath().resolve("anonymous")));
        SourceConfig source = config.source().orElseThrow();
        assertEquals(SourceType.GENERATOR, source.type());
        assertEquals(5, source.generator().targets());
        assertEquals("http://127.0.0.1:19291/api/v1/write", config.ruler().tenantRemoteWrite().orElseThrow().url());
    }

    @Test
    void localOpenMetricsConfig() throws Exception {
        RulerConfig config = RulerConfig.load(EXAMPLES.resolve("config/local-openmetrics.yaml"));
        SourceConfig source = config.source().orElseThrow();
        assertEquals(SourceType.OPENMETRICS, source.type());
        assertEquals(EXAMPLES.resolve("data/input.om"), source.openmetrics().resolvedPath());
        assertTrue(Files.isRegularFile(source.openmetrics().resolvedPath()));
        assertEquals("anonymous", source.openmetrics().tenant());
    }

    @Test
    void embeddedDefaultIsTheGeneratorDemoWithExtractedRules() throws Exception {
        RulerConfig config = RulerConfig.embeddedDefault();
        assertEquals(List.of(), config.warnings());
        assertEquals(SourceType.GENERATOR, config.source().orElseThrow().type());
        assertEquals("http://127.0.0.1:19291/api/v1/write", config.ruler().tenantRemoteWrite().orElseThrow().url());
        Path rules = config.ruler().storage().localDirectoryPath();
        for (String file : RulerConfig.defaultRuleFiles()) {
            assertEquals(Files.readString(EXAMPLES.resolve("rules").resolve(file)), Files.readString(rules.resolve(file)), file);
        }
        List<RuleChecker.FileReport> reports = RuleChecker.checkFiles(List.of(rules));
        assertEquals(RulerConfig.defaultRuleFiles().size(), reports.size());
        for (RuleChecker.FileReport r : reports) {
            assertEquals(List.of(), r.result().problems(), r.file().toString());
            assertTrue(r.result().groups().size() > 0, r.file().toString());
        }
    }

    @Test
    void bundledRuleCopiesListEveryExampleRuleFile() throws Exception {
        Path rulesDir = EXAMPLES.resolve("rules");
        List<String> exampleFiles;
        try (Stream<Path> walk = Files.walk(rulesDir)) {
            exampleFiles = walk.filter(Files::isRegularFile).map(p -> rulesDir.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
        assertEquals(exampleFiles, RulerConfig.defaultRuleFiles().stream().sorted().toList(),
                "job/src/main/resources/flink-ruler-default-rules must hold a copy of every file of examples/rules (and its index list them)");
        for (String file : exampleFiles) {
            assertEquals(Files.readString(rulesDir.resolve(file)),
                    RulerConfig.readResource(RulerConfig.DEFAULT_RULES_RESOURCE + file), file + " differs from its bundled copy");
        }
    }
}
