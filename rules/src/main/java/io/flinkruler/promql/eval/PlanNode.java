package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.ast.AggregateOp;
import io.flinkruler.promql.ast.AtModifier;
import io.flinkruler.promql.ast.BinaryOp;
import io.flinkruler.promql.ast.ValueType;
import io.flinkruler.promql.ast.VectorMatching;

import java.util.List;

/** The compiled expression tree the per-rule step walks; leaves refer to per-series results. */
sealed interface PlanNode {
    ValueType type();

    record Num(double value) implements PlanNode {
        public ValueType type() { return ValueType.SCALAR; }
    }

    record Str(String value) implements PlanNode {
        public ValueType type() { return ValueType.STRING; }
    }

    /** start(), end(), range(), step(): constants of the query. */
    record QueryConstant(String name) implements PlanNode {
        public ValueType type() { return ValueType.SCALAR; }
    }

    record LeafRef(Leaf leaf) implements PlanNode {
        public ValueType type() { return leaf.kind == Leaf.Kind.RAW_RANGE ? ValueType.MATRIX : ValueType.VECTOR; }
    }

    record Subquery(PlanNode inner, long rangeMs, long stepMs, long offsetMs, AtModifier at) implements PlanNode {
        public ValueType type() { return ValueType.MATRIX; }
    }

    /**
     * A range function the per-series step could not compute: over a subquery, or with a parameter
     * that is not a constant. {@code args} holds every argument; {@code matrixArg} indexes the matrix.
     */
    record RangeCall(String name, FunctionTable.Def def, List<PlanNode> args, int matrixArg, long rangeMs, long offsetMs,
                     AtModifier at, int selectorPosition, int paramPosition) implements PlanNode {
        public ValueType type() { return ValueType.VECTOR; }
    }

    record Call(String name, FunctionTable.Def def, List<PlanNode> args, ValueType type, Labels absentLabels,
                int position, List<Integer> argPositions) implements PlanNode {}

    record Aggregate(AggregateOp op, PlanNode expr, PlanNode param, List<String> grouping, boolean without,
                     int exprPosition, int paramPosition) implements PlanNode {
        public ValueType type() { return ValueType.VECTOR; }
    }

    record Binary(BinaryOp op, PlanNode lhs, PlanNode rhs, VectorMatching matching, boolean returnBool, int position)
            implements PlanNode {
        public ValueType type() {
            return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
        }
    }

    record Negate(PlanNode expr) implements PlanNode {
        public ValueType type() { return expr.type(); }
    }
}
