package io.flinkruler.rules;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code promtool check rules} for flink-ruler: validates rule files and lists every problem as
 * {@code file:line:column: message}. A directory stands for the {@code .yaml}/{@code .yml} files below it.
 */
public final class RuleChecker {
    /** One checked file and what parsing it produced. */
    public record FileReport(Path file, RuleFileParseResult result) {}

    private RuleChecker() {}

    /** All problems of all files (empty: every file is valid). */
    public static List<Problem> check(List<Path> files) throws IOException {
        List<Problem> problems = new ArrayList<>();
        for (FileReport report : checkFiles(files)) problems.addAll(report.result().problems());
        return problems;
    }

    /** Per-file results, for callers that also show warnings or counts of groups and rules. */
    public static List<FileReport> checkFiles(List<Path> paths) throws IOException {
        List<FileReport> reports = new ArrayList<>();
        for (Path file : expand(paths)) reports.add(new FileReport(file, checkFile(file)));
        return reports;
    }

    private static RuleFileParseResult checkFile(Path file) throws IOException {
        String name = file.toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            return new RuleFileParseResult(List.of(), List.of(new Problem(name, 1, 1, "file is not valid UTF-8")));
        }
        Path parent = file.toAbsolutePath().getParent();
        String tenant = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
        return RuleFileParser.parse(tenant, name, text);
    }

    private static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                files.add(p);
                continue;
            }
            try (Stream<Path> walk = Files.walk(p)) {
                walk.filter(Files::isRegularFile)
                        .filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }
}
