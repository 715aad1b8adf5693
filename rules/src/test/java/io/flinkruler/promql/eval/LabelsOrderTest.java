package io.flinkruler.promql.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.flinkruler.model.Labels;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LabelsOrderTest {
    private static int[] boxedSort(Labels[] labels, int count) {
        Integer[] idx = new Integer[count];
        for (int i = 0; i < count; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> labels[a].compareTo(labels[b]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    private static Labels[] random(SplittableRandom random, int count, int distinct) {
        Labels[] out = new Labels[count + 3];
        for (int i = 0; i < count; i++) out[i] = Labels.of("__name__", "m", "instance", "host-" + random.nextInt(distinct));
        return out;
    }

    @Test
    void ordersAsTheStableSortDoesIncludingEqualLabels() {
        SplittableRandom random = new SplittableRandom(3);
        for (int count : new int[] {0, 1, 2, 3, 7, 100, 1000}) {
            for (int distinct : new int[] {1, 5, 100_000}) {
                Labels[] labels = random(random, count, distinct);
                assertArrayEquals(boxedSort(labels, count), LabelsOrder.sort(labels, count), count + " of " + distinct);
            }
        }
    }

    @Test
    void ordersSortedAndConcatenatedSortedRuns() {
        SplittableRandom random = new SplittableRandom(5);
        Labels[] labels = random(random, 1000, 1_000_000);
        Arrays.sort(labels, 0, 1000);
        assertArrayEquals(boxedSort(labels, 1000), LabelsOrder.sort(labels, 1000));
        for (int run = 0; run < 4; run++) Arrays.sort(labels, run * 250, run * 250 + 250 - run * 7);
        assertArrayEquals(boxedSort(labels, 1000), LabelsOrder.sort(labels, 1000));
        Labels[] descending = labels.clone();
        Arrays.sort(descending, 0, 1000, (a, b) -> b.compareTo(a));
        assertArrayEquals(boxedSort(descending, 1000), LabelsOrder.sort(descending, 1000));
    }
}
