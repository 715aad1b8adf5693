package io.flinkruler.promql.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects annotations, deduplicated by message and position as Prometheus dedupes by text. */
final class AnnotationSink {
    private final Map<String, Annotation> byKey = new LinkedHashMap<>();

    void warn(String message, int position) { add(new Annotation(false, "PromQL warning: " + message, position)); }

    void info(String message, int position) { add(new Annotation(true, "PromQL info: " + message, position)); }

    void add(Annotation a) { byKey.putIfAbsent(a.message() + '\u0000' + a.position(), a); }

    void addAll(List<Annotation> list) { for (Annotation a : list) add(a); }

    List<Annotation> toList() { return new ArrayList<>(byKey.values()); }

    boolean isEmpty() { return byKey.isEmpty(); }
}
