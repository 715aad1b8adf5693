package io.flinkruler.rules;

import java.util.List;

/**
 * What one rule file yields: the groups that have no problem, the problems (errors: a file with any is
 * not valid, as {@code promtool check rules} judges), and warnings (accepted but ignored settings).
 */
public record RuleFileParseResult(List<RuleGroup> groups, List<Problem> problems, List<Problem> warnings) {
    public RuleFileParseResult {
        groups = List.copyOf(groups);
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    public RuleFileParseResult(List<RuleGroup> groups, List<Problem> problems) {
        this(groups, problems, List.of());
    }

    public boolean valid() { return problems.isEmpty(); }
}
