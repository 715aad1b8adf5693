package io.flinkruler.yaml;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Where each character of a scalar's value was written in the file, so that an error found inside the
 * value (a PromQL syntax error in {@code expr}) can be reported at the file's line and column.
 *
 * <p>The map replays YAML's rules for the scalar's style (quotes, escapes, {@code ''}, line folding,
 * block indentation) and then compares its result with the value snakeyaml produced. When they agree the
 * map is {@linkplain #exact() exact}; when they do not (an unusual construct the replay does not model)
 * positions fall back to the start of the scalar's first value line rather than being wrong.
 */
public final class ScalarSourceMap {
    /** 1-based line and column in the file. */
    public record Position(int line, int column) {}

    private final String value;
    private final List<Position> positions; // one per UTF-16 char of the value, when exact
    private final Position fallback;
    private final Position end;

    private ScalarSourceMap(String value, List<Position> positions, Position fallback, Position end) {
        this.value = value;
        this.positions = positions;
        this.fallback = fallback;
        this.end = end;
    }

    /** The map of a scalar node; a non-scalar or null node maps everything to the node's start. */
    public static ScalarSourceMap of(SourceText source, YamlNode node) {
        Position start = new Position(node.line(), node.column());
        if (!(node.raw() instanceof ScalarNode scalar)) return new ScalarSourceMap("", null, start, start);
        Replay replay = new Replay(source, scalar);
        replay.run();
        String value = scalar.getValue();
        Position fallback = replay.firstContent != null ? replay.firstContent : start;
        boolean exact = replay.out.toString().equals(value);
        return new ScalarSourceMap(value, exact ? replay.positions : null, fallback, exact ? replay.afterLast() : fallback);
    }

    public boolean exact() { return positions != null; }

    /** The file position of the value's character at {@code offset}; the value's length means "just after the end". */
    public Position at(int offset) {
        if (positions == null) return fallback;
        if (offset >= 0 && offset < positions.size()) return positions.get(offset);
        return end;
    }

    /** The file position of a 1-based line and (UTF-16 char) column within the value. */
    public Position at(int valueLine, int valueColumn) {
        int lineStart = lineStart(valueLine);
        return lineStart < 0 ? at(value.length()) : at(lineStart + Math.max(0, valueColumn - 1));
    }

    /**
     * The file position of a 1-based line and column within the value where the column counts UTF-8
     * bytes, as Prometheus's PromQL parser reports positions.
     */
    public Position atUtf8Column(int valueLine, int utf8Column) {
        int lineStart = lineStart(valueLine);
        if (lineStart < 0) return at(value.length());
        int offset = lineStart;
        int bytes = 0;
        while (offset < value.length() && value.charAt(offset) != '\n' && bytes < utf8Column - 1) {
            int cp = value.codePointAt(offset);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            offset += Character.charCount(cp);
        }
        return at(offset);
    }

    /** The char offset where a 1-based line of the value starts, or -1 past the last line. */
    private int lineStart(int valueLine) {
        int offset = 0;
        for (int l = 1; l < valueLine; l++) {
            int nl = value.indexOf('\n', offset);
            if (nl < 0) return -1;
            offset = nl + 1;
        }
        return offset;
    }

    /** Replays one scalar's YAML reading, recording where each value character came from. */
    private static final class Replay {
        private final SourceText source;
        private final ScalarNode node;
        final StringBuilder out = new StringBuilder();
        final List<Position> positions = new ArrayList<>();
        Position firstContent;
        private int keepLength; // out length after the last character that line folding must not strip
        private int line;
        private int column;

        Replay(SourceText source, ScalarNode node) {
            this.source = source;
            this.node = node;
            this.line = node.getStartMark().getLine();
            this.column = node.getStartMark().getColumn();
        }

        void run() {
            ScalarStyle style = node.getScalarStyle();
            switch (style) {
                case LITERAL, FOLDED -> block(style == ScalarStyle.FOLDED);
                case SINGLE_QUOTED, DOUBLE_QUOTED -> {
                    column++; // the opening quote
                    flow(style);
                }
                default -> flow(style);
            }
        }

        Position afterLast() {
            if (positions.isEmpty()) return firstContent != null ? firstContent : pos(line, column);
            Position last = positions.get(positions.size() - 1);
            return new Position(last.line(), last.column() + 1);
        }

        private Position pos(int l, int c) {
            return new Position(l + 1, c + 1);
        }

        private void emit(int codePoint, int l, int c) {
            Position p = pos(l, c);
            if (firstContent == null) firstContent = p;
            out.appendCodePoint(codePoint);
            positions.add(p);
            if (Character.isSupplementaryCodePoint(codePoint)) positions.add(p);
        }

        private void emitKept(int codePoint, int l, int c) {
            emit(codePoint, l, c);
            keepLength = out.length();
        }

        private boolean atPlainEnd() {
            int endLine = node.getEndMark().getLine();
            return line > endLine || (line == endLine && column >= node.getEndMark().getColumn());
        }

        private void flow(ScalarStyle style) {
            while (line < source.lineCount()) {
                if (style == ScalarStyle.PLAIN && atPlainEnd()) return;
                int[] text = source.line(line);
                if (column >= text.length) {
                    fold(style);
                    continue;
                }
                int c = text[column];
                if (style == ScalarStyle.SINGLE_QUOTED && c == '\'') {
                    if (column + 1 < text.length && text[column + 1] == '\'') {
                        emitKept('\'', line, column);
                        column += 2;
                        continue;
                    }
                    return;
                }
                if (style == ScalarStyle.DOUBLE_QUOTED && c == '"') return;
                if (style == ScalarStyle.DOUBLE_QUOTED && c == '\\') {
                    escape(text);
                    continue;
                }
                if (c == ' ' || c == '\t') emit(c, line, column);
                else emitKept(c, line, column);
                column++;
            }
        }

        /** A line break inside a flow scalar: trailing blanks go, one break becomes a space, n empty lines n newlines. */
        private void fold(ScalarStyle style) {
            int breakLine = line;
            int breakColumn = column;
            out.setLength(keepLength);
            while (positions.size() > keepLength) positions.remove(positions.size() - 1);
            line++;
            int emptyLines = 0;
            while (line < source.lineCount() && isBlank(source.line(line)) && !(style == ScalarStyle.PLAIN && atPlainEnd())) {
                emptyLines++;
                line++;
            }
            if (emptyLines == 0) {
                emit(' ', breakLine, breakColumn);
            } else {
                for (int i = 0; i < emptyLines; i++) emit('\n', breakLine + 1 + i, 0);
            }
            keepLength = out.length();
            column = 0;
            int[] text = source.line(line);
            while (column < text.length && (text[column] == ' ' || text[column] == '\t')) column++;
        }

        private void escape(int[] text) {
            int at = column;
            if (column + 1 >= text.length) { // escaped line break: joins lines without a space
                line++;
                column = 0;
                int[] next = source.line(line);
                while (column < next.length && (next[column] == ' ' || next[column] == '\t')) column++;
                keepLength = out.length();
                return;
            }
            int e = text[column + 1];
            int hexDigits = switch (e) {
                case 'x' -> 2;
                case 'u' -> 4;
                case 'U' -> 8;
                default -> 0;
            };
            if (hexDigits > 0) {
                int from = column + 2;
                int to = Math.min(text.length, from + hexDigits);
                int code = Integer.parseInt(new String(text, from, to - from), 16);
                emitKept(code, line, at);
                column = to;
                return;
            }
            int decoded = switch (e) {
                case '0' -> 0;
                case 'a' -> 7;
                case 'b' -> '\b';
                case 't', '\t' -> '\t';
                case 'n' -> '\n';
                case 'v' -> 11;
                case 'f' -> '\f';
                case 'r' -> '\r';
                case 'e' -> 27;
                case 'N' -> 0x85;
                case '_' -> 0xa0;
                case 'L' -> 0x2028;
                case 'P' -> 0x2029;
                default -> e; // space, '"', '/', '\\'
            };
            emitKept(decoded, line, at);
            column += 2;
        }

        /** Literal ({@code |}) and folded ({@code >}) block scalars: content lines below the header, indentation removed. */
        private void block(boolean folded) {
            int[] header = source.line(line);
            int explicitIndent = 0;
            for (int i = column + 1; i < header.length && header[i] != ' ' && header[i] != '#'; i++) {
                if (header[i] >= '1' && header[i] <= '9') explicitIndent = header[i] - '0';
            }
            int first = line + 1;
            int last = node.getEndMark().getLine(); // exclusive when the end mark sits at column 0
            if (node.getEndMark().getColumn() > 0) last++;
            last = Math.min(last, source.lineCount());
            int indent = explicitIndent > 0 ? parentIndent() + explicitIndent : detectIndent(first, last);
            boolean previousMoreIndented = false;
            int pendingEmpty = 0;
            boolean any = false;
            for (int l = first; l < last; l++) {
                int[] text = source.line(l);
                if (isBlank(text) && text.length <= indent) {
                    if (!folded) emit('\n', l, Math.min(text.length, indent));
                    pendingEmpty++;
                    continue;
                }
                boolean moreIndented = text.length > indent && (text[indent] == ' ' || text[indent] == '\t');
                if (folded && any) {
                    if (pendingEmpty == 0) {
                        emit(previousMoreIndented || moreIndented ? '\n' : ' ', l - 1, source.line(l - 1).length);
                    } else {
                        if (previousMoreIndented || moreIndented) emit('\n', l - 1, source.line(l - 1).length);
                        for (int i = 0; i < pendingEmpty; i++) emit('\n', l - pendingEmpty + i, 0);
                    }
                } else if (folded) {
                    for (int i = 0; i < pendingEmpty; i++) emit('\n', l - pendingEmpty + i, 0);
                }
                for (int c = indent; c < text.length; c++) emit(text[c], l, c);
                if (!folded) emit('\n', l, text.length);
                pendingEmpty = 0;
                previousMoreIndented = moreIndented;
                any = true;
            }
            if (folded && any) emit('\n', last - 1, source.line(last - 1).length);
            trimToValueEnd();
        }

        /** Chomping only adds or removes trailing newlines: align them with the value so the comparison is fair. */
        private void trimToValueEnd() {
            String value = node.getValue();
            int valueEnd = value.length();
            while (valueEnd > 0 && value.charAt(valueEnd - 1) == '\n') valueEnd--;
            int outEnd = out.length();
            while (outEnd > 0 && out.charAt(outEnd - 1) == '\n') outEnd--;
            Position newlinePos = outEnd < positions.size() ? positions.get(outEnd) : afterLast();
            out.setLength(outEnd);
            while (positions.size() > outEnd) positions.remove(positions.size() - 1);
            for (int i = valueEnd; i < value.length(); i++) {
                out.append('\n');
                positions.add(newlinePos);
            }
        }

        private int detectIndent(int first, int last) {
            for (int l = first; l < last; l++) {
                int[] text = source.line(l);
                if (isBlank(text)) continue;
                int i = 0;
                while (i < text.length && text[i] == ' ') i++;
                return i;
            }
            return parentIndent() + 1;
        }

        /** The indentation of the line holding the block header's key: explicit indicators count from it. */
        private int parentIndent() {
            int[] header = source.line(node.getStartMark().getLine());
            int i = 0;
            while (i < header.length && (header[i] == ' ' || header[i] == '-')) i++;
            return i;
        }

        private static boolean isBlank(int[] text) {
            for (int c : text) if (c != ' ' && c != '\t') return false;
            return true;
        }
    }
}
