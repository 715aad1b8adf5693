package io.flinkruler.promql.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkruler.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelGroupsTest {
    private static final Labels A = Labels.of("__name__", "a", "job", "api", "instance", "1", "env", "prod");
    private static final Labels B = Labels.of("__name__", "b", "job", "api", "instance", "2", "env", "prod");
    private static final Labels C = Labels.of("__name__", "a", "job", "db", "instance", "1");
    private static final Labels D = Labels.of("__name__", "c", "instance", "1", "env", "prod");

    @Test
    void groupsByTheListedLabelsAbsentBeingEmpty() {
        LabelGroups by = new LabelGroups(List.of("job", "env", "job"), false);
        assertEquals(0, by.add(A));
        assertEquals(0, by.add(B));
        assertEquals(1, by.add(C));
        assertEquals(-1, by.find(D));
        assertEquals(2, by.add(D));
        assertEquals(1, by.find(Labels.of("job", "db", "other", "x")));
        assertEquals(3, by.size());
        assertEquals(A, by.representative(0));
    }

    @Test
    void groupsByAllButTheListedLabelsAndTheName() {
        LabelGroups without = new LabelGroups(List.of("instance"), true);
        assertEquals(0, without.add(A));
        assertEquals(0, without.add(B));
        assertEquals(1, without.add(C));
        assertEquals(2, without.add(D));
        assertEquals(2, without.find(Labels.of("env", "prod")));
        assertEquals(-1, without.find(Labels.of("env", "prod", "zone", "z")));
        assertEquals(-1, without.find(Labels.EMPTY));
        LabelGroups everything = new LabelGroups(List.of(), true);
        assertEquals(0, everything.add(A));
        assertEquals(1, everything.add(B));
        assertEquals(0, everything.add(A.withoutMetricName()));
    }

    @Test
    void keepsFindingGroupsAcrossGrowth() {
        LabelGroups by = new LabelGroups(List.of("instance"), false);
        for (int i = 0; i < 10_000; i++) assertEquals(i, by.add(Labels.of("instance", "host-" + i, "n", "x" + (i % 7))));
        for (int i = 0; i < 10_000; i++) assertEquals(i, by.find(Labels.of("instance", "host-" + i)));
        assertEquals(-1, by.find(Labels.of("instance", "host-10000")));
    }
}
