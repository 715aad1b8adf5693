package io.flinkruler.promql.parser;

/** Token kinds of the PromQL lexer, grouped as Prometheus groups them for error messages. */
enum TokenType {
    EOF, ERROR, IDENTIFIER, METRIC_IDENTIFIER, STRING, NUMBER, DURATION,
    LEFT_PAREN("("), RIGHT_PAREN(")"), LEFT_BRACE("{"), RIGHT_BRACE("}"), LEFT_BRACKET("["), RIGHT_BRACKET("]"),
    COMMA(","), EQL("="), COLON(":"),

    ADD(Group.OPERATOR), SUB(Group.OPERATOR), MUL(Group.OPERATOR), DIV(Group.OPERATOR), MOD(Group.OPERATOR),
    POW(Group.OPERATOR), EQLC(Group.OPERATOR), NEQ(Group.OPERATOR), LTE(Group.OPERATOR), LSS(Group.OPERATOR),
    GTE(Group.OPERATOR), GTR(Group.OPERATOR), TRIM_UPPER(Group.OPERATOR), TRIM_LOWER(Group.OPERATOR),
    EQL_REGEX(Group.OPERATOR), NEQ_REGEX(Group.OPERATOR), LAND(Group.OPERATOR), LOR(Group.OPERATOR),
    LUNLESS(Group.OPERATOR), ATAN2(Group.OPERATOR), AT(Group.OPERATOR),

    AVG(Group.AGGREGATOR), BOTTOMK(Group.AGGREGATOR), COUNT(Group.AGGREGATOR), COUNT_VALUES(Group.AGGREGATOR),
    GROUP(Group.AGGREGATOR), MAX(Group.AGGREGATOR), MIN(Group.AGGREGATOR), QUANTILE(Group.AGGREGATOR),
    STDDEV(Group.AGGREGATOR), STDVAR(Group.AGGREGATOR), SUM(Group.AGGREGATOR), TOPK(Group.AGGREGATOR),
    LIMITK(Group.AGGREGATOR), LIMIT_RATIO(Group.AGGREGATOR),

    BOOL(Group.KEYWORD), BY(Group.KEYWORD), GROUP_LEFT(Group.KEYWORD), GROUP_RIGHT(Group.KEYWORD),
    FILL(Group.KEYWORD), FILL_LEFT(Group.KEYWORD), FILL_RIGHT(Group.KEYWORD), IGNORING(Group.KEYWORD),
    OFFSET(Group.KEYWORD), SMOOTHED(Group.KEYWORD), ANCHORED(Group.KEYWORD), ON(Group.KEYWORD), WITHOUT(Group.KEYWORD),

    // Words with a meaning only in some positions (start()/end() after @, step()/range() in durations).
    START(Group.PREPROCESSOR), END(Group.PREPROCESSOR), STEP(Group.PREPROCESSOR), RANGE(Group.PREPROCESSOR),
    MAX_OF(Group.PREPROCESSOR), MIN_OF(Group.PREPROCESSOR);

    enum Group { OTHER, PUNCTUATION, OPERATOR, AGGREGATOR, KEYWORD, PREPROCESSOR }

    final Group group;
    /** Fixed spelling of punctuation; null for tokens whose text varies. */
    final String fixedText;

    TokenType() {
        this.group = Group.OTHER;
        this.fixedText = null;
    }

    TokenType(String punctuation) {
        this.group = Group.PUNCTUATION;
        this.fixedText = punctuation;
    }

    TokenType(Group group) {
        this.group = group;
        this.fixedText = null;
    }

    boolean isAggregator() { return group == Group.AGGREGATOR; }

    /** How Prometheus names the kind of a variable-text token in "unexpected ..." messages. */
    String kindDescription() {
        return switch (this) {
            case ERROR -> "error";
            case EOF -> "end of input";
            case IDENTIFIER -> "identifier";
            case METRIC_IDENTIFIER -> "metric identifier";
            case STRING -> "string";
            case NUMBER -> "number";
            case DURATION -> "duration";
            default -> name();
        };
    }
}
