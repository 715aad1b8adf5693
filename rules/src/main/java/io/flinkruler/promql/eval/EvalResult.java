package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;

import java.util.List;

/**
 * The value of an evaluated expression: a scalar, a string, an instant vector or (for a top-level
 * range selector or subquery) a matrix; plus the annotations evaluation produced.
 */
public final class EvalResult {
    public enum Type { SCALAR, STRING, VECTOR, MATRIX }

    /** One element of an instant vector. */
    public record Sample(Labels labels, double value) {}

    /** One series of a matrix; timestamps ascending. */
    public record Series(Labels labels, long[] timestamps, double[] values) {}

    private final Type type;
    private final double scalar;
    private final String string;
    private final List<Sample> vector;
    private final List<Series> matrix;
    private final List<Annotation> annotations;

    private EvalResult(Type type, double scalar, String string, List<Sample> vector, List<Series> matrix, List<Annotation> annotations) {
        this.type = type;
        this.scalar = scalar;
        this.string = string;
        this.vector = vector;
        this.matrix = matrix;
        this.annotations = annotations;
    }

    public static EvalResult ofScalar(double v, List<Annotation> annotations) {
        return new EvalResult(Type.SCALAR, v, null, List.of(), List.of(), annotations);
    }

    public static EvalResult ofString(String s, List<Annotation> annotations) {
        return new EvalResult(Type.STRING, Double.NaN, s, List.of(), List.of(), annotations);
    }

    public static EvalResult ofVector(List<Sample> v, List<Annotation> annotations) {
        return new EvalResult(Type.VECTOR, Double.NaN, null, v, List.of(), annotations);
    }

    public static EvalResult ofMatrix(List<Series> m, List<Annotation> annotations) {
        return new EvalResult(Type.MATRIX, Double.NaN, null, List.of(), m, annotations);
    }

    public Type type() { return type; }
    public double scalar() { return scalar; }
    public String string() { return string; }
    public List<Sample> vector() { return vector; }
    public List<Series> matrix() { return matrix; }
    public List<Annotation> annotations() { return annotations; }
}
