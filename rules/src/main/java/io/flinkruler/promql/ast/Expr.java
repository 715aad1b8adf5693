package io.flinkruler.promql.ast;

/**
 * A PromQL expression node, as Prometheus's parser/ast.go defines them. Every node knows its value
 * type and the source span it was parsed from (for error messages).
 */
public sealed interface Expr
        permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr, Call,
                AggregateExpr, BinaryExpr, UnaryExpr, ParenExpr, StepInvariantExpr {
    ValueType type();

    PosRange pos();
}
