package io.flinkruler.promql.ast;

public enum AggregateOp {
    SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR, TOPK, BOTTOMK, COUNT_VALUES, QUANTILE, LIMITK, LIMIT_RATIO;

    public String keyword() { return name().toLowerCase(); }

    public boolean takesParam() {
        return this == TOPK || this == BOTTOMK || this == COUNT_VALUES || this == QUANTILE || this == LIMITK || this == LIMIT_RATIO;
    }

    public static AggregateOp fromKeyword(String s) {
        for (AggregateOp op : values()) if (op.keyword().equals(s)) return op;
        return null;
    }
}
