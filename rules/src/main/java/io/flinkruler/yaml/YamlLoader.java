package io.flinkruler.yaml;

import java.io.StringReader;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one YAML document into a {@link YamlNode} tree that keeps every node's position. It composes
 * nodes only and never constructs Java objects from tags, so a file cannot make it instantiate classes.
 */
public final class YamlLoader {
    private static final int MAX_FILE_CODE_POINTS = 64 * 1024 * 1024;

    private YamlLoader() {}

    /** A rule file: no environment expansion. */
    public static YamlNode load(String file, String text) {
        return load(file, text, null);
    }

    /**
     * The document's root (a null node for an empty document). With a non-null {@code env},
     * scalars expand {@code ${VAR}} when read ({@link EnvExpander}). Syntax errors throw
     * {@link YamlException} at the position snakeyaml reports.
     */
    public static YamlNode load(String file, String text, Map<String, String> env) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_FILE_CODE_POINTS);
        options.setAllowDuplicateKeys(true); // YamlMapping reports duplicates with both positions
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 1 : mark.getLine() + 1;
            int column = mark == null ? 1 : mark.getColumn() + 1;
            throw new YamlException(file, line, column, "yaml: " + describe(e));
        } catch (YAMLException e) {
            throw new YamlException(file, 1, 1, "yaml: " + e.getMessage());
        }
        return new YamlNode(file, root, "", env);
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
        if (e.getContext() == null) return problem;
        Mark context = e.getContextMark();
        boolean contextElsewhere = context != null && e.getProblemMark() != null
                && (context.getLine() != e.getProblemMark().getLine() || context.getColumn() != e.getProblemMark().getColumn());
        return problem + " (" + e.getContext()
                + (contextElsewhere ? " started at " + (context.getLine() + 1) + ":" + (context.getColumn() + 1) : "") + ")";
    }
}
