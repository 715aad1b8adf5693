package io.flinkruler.yaml;

import java.util.ArrayList;
import java.util.List;

/**
 * A file's text split into lines of code points, indexed the way snakeyaml's marks count
 * (0-based line, 0-based code-point column), so that positions inside scalars can be recomputed.
 */
public final class SourceText {
    private final List<int[]> lines;

    private SourceText(List<int[]> lines) {
        this.lines = lines;
    }

    public static SourceText of(String text) {
        List<int[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i).codePoints().toArray());
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                start = i + 1;
            }
        }
        lines.add(text.substring(start).codePoints().toArray());
        return new SourceText(lines);
    }

    public int lineCount() { return lines.size(); }

    /** The code points of a 0-based line; empty past the end. */
    public int[] line(int index) {
        return index >= 0 && index < lines.size() ? lines.get(index) : new int[0];
    }
}
