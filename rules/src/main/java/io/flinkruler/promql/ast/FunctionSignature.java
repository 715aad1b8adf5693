package io.flinkruler.promql.ast;

import java.util.List;

/**
 * The parser's view of a function: its name, argument types and return type.
 * {@code variadic}: 0 = exactly argTypes; n > 0 = up to n trailing optional arguments of the last type;
 * -1 = any number of the last type. Mirrors Prometheus's parser/functions.go.
 */
public record FunctionSignature(String name, List<ValueType> argTypes, int variadic, ValueType returnType, boolean experimental) {}
