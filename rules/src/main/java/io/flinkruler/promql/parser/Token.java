package io.flinkruler.promql.parser;

import io.flinkruler.promql.ast.PosRange;
import io.flinkruler.promql.ast.PromqlPrinter;

/** A lexed token: kind, source text (for ERROR tokens: the message) and start offset. */
record Token(TokenType type, String text, int start) {

    int end() { return type == TokenType.ERROR || type == TokenType.EOF ? start : start + text.length(); }

    PosRange range() { return new PosRange(start, end()); }

    /** The token as Prometheus describes it in "unexpected ..." messages (lex.go Item.desc). */
    String describe() {
        return switch (type.group) {
            case KEYWORD -> "<" + text + ">";
            case OPERATOR -> "<op:" + text + ">";
            case AGGREGATOR -> "<aggr:" + text + ">";
            case PUNCTUATION, PREPROCESSOR -> quoted();
            case OTHER -> type == TokenType.EOF ? "end of input" : type.kindDescription() + " " + quoted();
        };
    }

    private String quoted() {
        boolean identifier = type == TokenType.IDENTIFIER || type == TokenType.METRIC_IDENTIFIER;
        if (!identifier && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 10) {
            return PromqlPrinter.quote(text.substring(0, text.offsetByCodePoints(0, Math.min(10, text.codePointCount(0, text.length()))))) + "...";
        }
        return PromqlPrinter.quote(text);
    }
}
