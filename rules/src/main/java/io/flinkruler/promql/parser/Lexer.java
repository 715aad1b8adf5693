package io.flinkruler.promql.parser;

import io.flinkruler.promql.ast.PromqlPrinter;

import java.util.Locale;
import java.util.Map;

import static java.util.Map.entry;

/**
 * Splits PromQL text into tokens on demand. Like Prometheus's lexer (lex.go) it is context sensitive:
 * inside braces every word is a label name, inside brackets only durations and duration keywords are
 * valid. Comments are skipped. A lexical error yields one ERROR token (text = message) after which the
 * lexer only returns that token again.
 */
final class Lexer {
    private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
            entry("and", TokenType.LAND), entry("or", TokenType.LOR), entry("unless", TokenType.LUNLESS),
            entry("atan2", TokenType.ATAN2),
            entry("sum", TokenType.SUM), entry("avg", TokenType.AVG), entry("count", TokenType.COUNT),
            entry("min", TokenType.MIN), entry("max", TokenType.MAX), entry("group", TokenType.GROUP),
            entry("stddev", TokenType.STDDEV), entry("stdvar", TokenType.STDVAR), entry("topk", TokenType.TOPK),
            entry("bottomk", TokenType.BOTTOMK), entry("count_values", TokenType.COUNT_VALUES),
            entry("quantile", TokenType.QUANTILE), entry("limitk", TokenType.LIMITK),
            entry("limit_ratio", TokenType.LIMIT_RATIO),
            entry("offset", TokenType.OFFSET), entry("smoothed", TokenType.SMOOTHED), entry("anchored", TokenType.ANCHORED),
            entry("by", TokenType.BY), entry("without", TokenType.WITHOUT), entry("on", TokenType.ON),
            entry("ignoring", TokenType.IGNORING), entry("group_left", TokenType.GROUP_LEFT),
            entry("group_right", TokenType.GROUP_RIGHT), entry("fill", TokenType.FILL),
            entry("fill_left", TokenType.FILL_LEFT), entry("fill_right", TokenType.FILL_RIGHT), entry("bool", TokenType.BOOL),
            entry("start", TokenType.START), entry("end", TokenType.END), entry("step", TokenType.STEP),
            entry("range", TokenType.RANGE), entry("max_of", TokenType.MAX_OF), entry("min_of", TokenType.MIN_OF),
            entry("inf", TokenType.NUMBER), entry("nan", TokenType.NUMBER));

    private static final Map<String, TokenType> DURATION_KEYWORDS = Map.of(
            "step", TokenType.STEP, "range", TokenType.RANGE, "max_of", TokenType.MAX_OF, "min_of", TokenType.MIN_OF);

    private static final int EOF_CHAR = -1;

    private enum Mode { STATEMENTS, INSIDE_BRACES, DURATION_EXPR }

    private final String input;
    private int pos;
    private int start;
    private Mode mode = Mode.STATEMENTS;
    private int parenDepth;
    private boolean bracketOpen;
    private boolean gotColon;
    private boolean gotDuration;
    private Token failure;

    Lexer(String input) {
        this.input = input;
    }

    Token next() {
        if (failure != null) return failure;
        while (true) {
            Token t = switch (mode) {
                case STATEMENTS -> lexStatement();
                case INSIDE_BRACES -> lexInsideBraces();
                case DURATION_EXPR -> lexDurationExpr();
            };
            if (t != null) {
                if (t.type() == TokenType.ERROR) failure = t;
                return t;
            }
        }
    }

    // ---- character helpers -------------------------------------------------------------------

    private int peekChar() {
        return pos < input.length() ? input.charAt(pos) : EOF_CHAR;
    }

    private int nextChar() {
        if (pos >= input.length()) {
            pos = input.length() + 1; // so that backup() returns to the end
            return EOF_CHAR;
        }
        return input.charAt(pos++);
    }

    private void backup() {
        pos--;
    }

    private boolean accept(String valid) {
        int c = peekChar();
        if (c != EOF_CHAR && valid.indexOf(c) >= 0) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean is(String valid) {
        int c = peekChar();
        return c != EOF_CHAR && valid.indexOf(c) >= 0;
    }

    private Token emit(TokenType type) {
        Token t = new Token(type, input.substring(start, pos), start);
        start = pos;
        return t;
    }

    private Token error(String message) {
        return new Token(TokenType.ERROR, message, start);
    }

    private void skipSpaces() {
        while (isSpace(peekChar())) pos++;
        start = pos;
    }

    static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    static boolean isAlpha(int c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlphaNumeric(int c) {
        return isAlpha(c) || isDigit(c);
    }

    private static String q(int c) {
        return PromqlPrinter.quoteRune(c);
    }

    private boolean skipComment() {
        if (!input.startsWith("#", pos)) return false;
        while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') pos++;
        start = pos;
        return true;
    }

    // ---- modes --------------------------------------------------------------------------------

    private Token lexStatement() {
        if (skipComment()) return null;
        int r = nextChar();
        if (r == EOF_CHAR) {
            pos = input.length();
            start = pos;
            if (parenDepth != 0) return error("unclosed left parenthesis");
            if (bracketOpen) return error("unclosed left bracket");
            return new Token(TokenType.EOF, "", pos);
        }
        if (isSpace(r)) {
            skipSpaces();
            return null;
        }
        switch (r) {
            case ',': return emit(TokenType.COMMA);
            case '*': return emit(TokenType.MUL);
            case '/': return emit(TokenType.DIV);
            case '%': return emit(TokenType.MOD);
            case '+': return emit(TokenType.ADD);
            case '-': return emit(TokenType.SUB);
            case '^': return emit(TokenType.POW);
            case '@': return emit(TokenType.AT);
            case '=': {
                int t = peekChar();
                if (t == '=') {
                    pos++;
                    return emit(TokenType.EQLC);
                }
                if (t == '~') return error("unexpected character after '=': " + q(t));
                return emit(TokenType.EQL);
            }
            case '!': {
                int t = nextChar();
                if (t != '=') return error("unexpected character after '!': " + q(t));
                return emit(TokenType.NEQ);
            }
            case '<':
                if (accept("=")) return emit(TokenType.LTE);
                if (accept("/")) return emit(TokenType.TRIM_UPPER);
                return emit(TokenType.LSS);
            case '>':
                if (accept("=")) return emit(TokenType.GTE);
                if (accept("/")) return emit(TokenType.TRIM_LOWER);
                return emit(TokenType.GTR);
            case '"':
            case '\'':
                return lexString((char) r);
            case '`':
                return lexRawString();
            case '(':
                parenDepth++;
                return emit(TokenType.LEFT_PAREN);
            case ')': {
                Token t = emit(TokenType.RIGHT_PAREN);
                if (--parenDepth < 0) return error("unexpected right parenthesis " + q(r));
                return t;
            }
            case '{':
                mode = Mode.INSIDE_BRACES;
                return emit(TokenType.LEFT_BRACE);
            case '[': {
                if (bracketOpen) return error("unexpected left bracket " + q(r));
                gotColon = false;
                Token t = emit(TokenType.LEFT_BRACKET);
                skipSpaces();
                bracketOpen = true;
                mode = Mode.DURATION_EXPR;
                return t;
            }
            case ']':
                if (!bracketOpen) return error("unexpected right bracket " + q(r));
                bracketOpen = false;
                return emit(TokenType.RIGHT_BRACKET);
            default:
                break;
        }
        if (isDigit(r) || (r == '.' && isDigit(peekChar()))) {
            backup();
            return lexNumberOrDuration();
        }
        if (isAlpha(r) || r == ':') {
            if (!bracketOpen) {
                backup();
                return lexKeywordOrIdentifier();
            }
            if (r == ':') {
                if (gotColon) return error("unexpected colon " + q(r));
                gotColon = true;
                return emit(TokenType.COLON);
            }
            if (DURATION_KEYWORDS.keySet().stream().anyMatch(k -> k.charAt(0) == Character.toLowerCase(r))) {
                Token t = scanDurationKeyword();
                if (t != null) return t;
            }
            return error("unexpected character: " + q(r) + ", expected " + q(':'));
        }
        return error("unexpected character: " + q(r));
    }

    private Token lexInsideBraces() {
        if (skipComment()) return null;
        int r = nextChar();
        if (r == EOF_CHAR) {
            pos = input.length();
            start = pos;
            return error("unexpected end of input inside braces");
        }
        if (isSpace(r)) {
            skipSpaces();
            return null;
        }
        if (isAlpha(r)) {
            while (isAlphaNumeric(peekChar())) pos++;
            return emit(TokenType.IDENTIFIER);
        }
        switch (r) {
            case ',': return emit(TokenType.COMMA);
            case '"':
            case '\'':
                return lexString((char) r);
            case '`':
                return lexRawString();
            case '=':
                return emit(accept("~") ? TokenType.EQL_REGEX : TokenType.EQL);
            case '!': {
                int nr = nextChar();
                if (nr == '~') return emit(TokenType.NEQ_REGEX);
                if (nr == '=') return emit(TokenType.NEQ);
                return error("unexpected character after '!' inside braces: " + q(nr));
            }
            case '{':
                return error("unexpected left brace " + q(r));
            case '}':
                mode = Mode.STATEMENTS;
                return emit(TokenType.RIGHT_BRACE);
            default:
                return error("unexpected character inside braces: " + q(r));
        }
    }

    private Token lexDurationExpr() {
        int r = nextChar();
        if (r == EOF_CHAR) {
            pos = input.length();
            start = pos;
            return error("unexpected end of input in duration expression");
        }
        if (isSpace(r)) {
            skipSpaces();
            return null;
        }
        switch (r) {
            case ']':
                bracketOpen = false;
                gotColon = false;
                mode = Mode.STATEMENTS;
                return emit(TokenType.RIGHT_BRACKET);
            case ':': {
                Token t = emit(TokenType.COLON);
                if (!gotDuration) return error("unexpected colon before duration in duration expression");
                if (gotColon) return error("unexpected repeated colon in duration expression");
                gotColon = true;
                return t;
            }
            case '(':
                parenDepth++;
                return emit(TokenType.LEFT_PAREN);
            case ')': {
                Token t = emit(TokenType.RIGHT_PAREN);
                if (--parenDepth < 0) return error("unexpected right parenthesis " + q(r));
                return t;
            }
            case '+': return emit(TokenType.ADD);
            case '-': return emit(TokenType.SUB);
            case '*': return emit(TokenType.MUL);
            case '/': return emit(TokenType.DIV);
            case '%': return emit(TokenType.MOD);
            case '^': return emit(TokenType.POW);
            case ',': return emit(TokenType.COMMA);
            default:
                break;
        }
        if (DURATION_KEYWORDS.keySet().stream().anyMatch(k -> k.charAt(0) == Character.toLowerCase(r))) {
            Token t = scanDurationKeyword();
            if (t != null) return t;
            return error("unexpected character in duration expression: " + q(r));
        }
        if (isDigit(r) || (r == '.' && isDigit(peekChar()))) {
            backup();
            gotDuration = true;
            mode = Mode.STATEMENTS;
            return lexNumberOrDuration();
        }
        return error("unexpected character in duration expression: " + q(r));
    }

    private Token scanDurationKeyword() {
        while (isAlpha(peekChar())) pos++;
        TokenType t = DURATION_KEYWORDS.get(input.substring(start, pos).toLowerCase(Locale.ROOT));
        return t == null ? null : emit(t);
    }

    private Token lexKeywordOrIdentifier() {
        while (isAlphaNumeric(peekChar()) || peekChar() == ':') pos++;
        String word = input.substring(start, pos);
        TokenType kw = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
        if (kw != null) {
            // fill/fill_left/fill_right are keywords only before "(", so they stay usable as metric names.
            boolean fill = kw == TokenType.FILL || kw == TokenType.FILL_LEFT || kw == TokenType.FILL_RIGHT;
            if (fill && !followedByLeftParen()) return emit(TokenType.IDENTIFIER);
            return emit(kw);
        }
        return emit(word.indexOf(':') >= 0 ? TokenType.METRIC_IDENTIFIER : TokenType.IDENTIFIER);
    }

    private boolean followedByLeftParen() {
        int p = pos;
        while (p < input.length() && isSpace(input.charAt(p))) p++;
        return p < input.length() && input.charAt(p) == '(';
    }

    // ---- numbers and durations ----------------------------------------------------------------

    private Token lexNumberOrDuration() {
        if (scanNumber()) return emit(TokenType.NUMBER);
        if (acceptRemainingDuration()) {
            backup();
            return emit(TokenType.DURATION);
        }
        return error("bad number or duration syntax: " + PromqlPrinter.quote(input.substring(start, Math.min(pos, input.length()))));
    }

    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) return false;
        accept("s"); // "ms"; bad combinations such as "hs" are rejected when the duration is parsed
        while (accept("0123456789")) {
            while (accept("0123456789")) {
                // digits
            }
            if (!accept("smhdw")) return false;
            accept("s");
        }
        return !isAlphaNumeric(nextChar());
    }

    /** Consumes a number candidate; false when it is malformed or runs into letters (maybe a duration). */
    private boolean scanNumber() {
        int initial = pos;
        String digits = "0123456789";
        if (accept("0") && accept("xX")) {
            accept("_");
            digits = "0123456789abcdefABCDEF";
        }
        accept(".");
        accept(digits);
        boolean dotSeen = false;
        boolean exponentSeen = false;
        while (is(digits + "._eE")) {
            if (is(".") && dotSeen) {
                accept(".");
                return false;
            }
            if (is("eE") && exponentSeen) {
                accept("eE");
                return false;
            }
            if (accept(".")) {
                dotSeen = true;
                if (accept("_.")) return false;
                if (digits.length() > 10) return false; // no fractional hex literals
                continue;
            }
            if (accept("eE")) {
                exponentSeen = true;
                accept("+-");
                if (accept("._eE") || peekChar() == EOF_CHAR) return false;
                continue;
            }
            if (accept("_")) {
                if (accept("._eE") || peekChar() == EOF_CHAR) return false;
                continue;
            }
            while (accept(digits)) {
                // digits
            }
        }
        if (pos == initial) return false;
        return !isAlphaNumeric(peekChar());
    }

    // ---- strings ------------------------------------------------------------------------------

    private Token lexString(char quote) {
        while (true) {
            int c = nextChar();
            if (c == '\\') {
                String escapeError = scanEscape(quote);
                if (escapeError != null) return error(escapeError);
            } else if (c == 0xFFFD) {
                return error("invalid UTF-8 rune");
            } else if (c == EOF_CHAR || c == '\n') {
                pos = Math.min(pos, input.length());
                return error("unterminated quoted string");
            } else if (c == quote) {
                return emit(TokenType.STRING);
            }
        }
    }

    /** Validates one escape sequence (the backslash is consumed); returns an error message or null. */
    private String scanEscape(char quote) {
        int ch = nextChar();
        int n;
        int base;
        long max;
        switch (ch) {
            case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\':
                return null;
            case '0', '1', '2', '3', '4', '5', '6', '7':
                n = 3;
                base = 8;
                max = 255;
                break;
            case 'x':
                ch = nextChar();
                n = 2;
                base = 16;
                max = 255;
                break;
            case 'u':
                ch = nextChar();
                n = 4;
                base = 16;
                max = Character.MAX_CODE_POINT;
                break;
            case 'U':
                ch = nextChar();
                n = 8;
                base = 16;
                max = Character.MAX_CODE_POINT;
                break;
            case EOF_CHAR:
                return "escape sequence not terminated";
            default:
                if (ch == quote) return null;
                return "unknown escape sequence " + goUnicodeName(ch);
        }
        long x = 0;
        while (n > 0) {
            int d = hexDigitValue(ch);
            if (d >= base) {
                if (ch == EOF_CHAR) return "escape sequence not terminated";
                return "illegal character " + goUnicodeName(ch) + " in escape sequence";
            }
            x = x * base + d;
            n--;
            if (n > 0) ch = nextChar();
        }
        if (x > max || (x >= 0xD800 && x < 0xE000)) return "escape sequence is an invalid Unicode code point";
        return null;
    }

    private static int hexDigitValue(int c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return 16;
    }

    /** Go's {@code %#U}: {@code U+0063 'c'}. */
    private static String goUnicodeName(int cp) {
        return String.format("U+%04X", cp) + " " + q(cp);
    }

    private Token lexRawString() {
        while (true) {
            int c = nextChar();
            if (c == 0xFFFD) return error("invalid UTF-8 rune");
            if (c == EOF_CHAR) {
                pos = input.length();
                return error("unterminated raw string");
            }
            if (c == '`') return emit(TokenType.STRING);
        }
    }
}
