package io.flinkruler.promql.ast;

import java.util.regex.Pattern;

/**
 * One matcher of a selector. Regex matchers are fully anchored, as in Prometheus; the pattern (RE2
 * syntax, see {@link Re2Regex}) is compiled once when the matcher is built, which throws
 * PatternSyntaxException for an invalid one.
 */
public final class LabelMatcher {
    public enum Type {
        EQ("="), NEQ("!="), RE("=~"), NRE("!~");

        public final String symbol;

        Type(String symbol) { this.symbol = symbol; }
    }

    private final Type type;
    private final String name;
    private final String value;
    private final Pattern pattern;

    public LabelMatcher(Type type, String name, String value) {
        this.type = type;
        this.name = name;
        this.value = value;
        this.pattern = type == Type.RE || type == Type.NRE ? Re2Regex.compileAnchored(value) : null;
    }

    public Type type() { return type; }
    public String name() { return name; }
    public String value() { return value; }

    /** Whether a label value (""for an absent label) matches. */
    public boolean matches(String labelValue) {
        return switch (type) {
            case EQ -> labelValue.equals(value);
            case NEQ -> !labelValue.equals(value);
            case RE -> pattern.matcher(labelValue).matches();
            case NRE -> !pattern.matcher(labelValue).matches();
        };
    }

    /** True when the matcher accepts the empty string (such matchers alone cannot select anything). */
    public boolean matchesEmpty() { return matches(""); }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
    }

    @Override
    public int hashCode() { return (type.hashCode() * 31 + name.hashCode()) * 31 + value.hashCode(); }

    @Override
    public String toString() {
        return (PromqlPrinter.isLegacyLabelName(name) ? name : PromqlPrinter.quote(name)) + type.symbol + PromqlPrinter.quote(value);
    }
}
