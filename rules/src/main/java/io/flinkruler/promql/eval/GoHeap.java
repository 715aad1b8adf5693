package io.flinkruler.promql.eval;

import io.flinkruler.promql.eval.Values.Smp;

import java.util.Collections;
import java.util.List;

/**
 * Go's container/heap and small-slice sort steps over samples, so that topk/bottomk and sort
 * return ties in the same order as Prometheus. {@code reverse=false}: min-heap by value with NaN
 * smallest (vectorByValueHeap); {@code reverse=true}: max-heap with NaN first (vectorByReverseValueHeap).
 */
final class GoHeap {
    private GoHeap() {}

    static boolean less(List<Smp> h, int i, int j, boolean reverse) {
        double vi = h.get(i).f(), vj = h.get(j).f();
        if (Double.isNaN(vi)) return true;
        return reverse ? vi > vj : vi < vj;
    }

    static void push(List<Smp> h, Smp s, boolean reverse) {
        h.add(s);
        up(h, h.size() - 1, reverse);
    }

    static void fix(List<Smp> h, int i, boolean reverse) {
        if (!down(h, i, h.size(), reverse)) up(h, i, reverse);
    }

    private static void up(List<Smp> h, int j, boolean reverse) {
        while (true) {
            int i = (j - 1) / 2;
            if (i == j || !less(h, j, i, reverse)) break;
            Collections.swap(h, i, j);
            j = i;
        }
    }

    private static boolean down(List<Smp> h, int i0, int n, boolean reverse) {
        int i = i0;
        while (true) {
            int j1 = 2 * i + 1;
            if (j1 >= n || j1 < 0) break;
            int j = j1;
            int j2 = j1 + 1;
            if (j2 < n && less(h, j2, j1, reverse)) j = j2;
            if (!less(h, j, i, reverse)) break;
            Collections.swap(h, i, j);
            i = j;
        }
        return i > i0;
    }

    /** sort.Sort(sort.Reverse(heap)): insertion sort as Go does for short slices. */
    static void sortReverse(List<Smp> h, boolean reverse) {
        for (int i = 1; i < h.size(); i++) {
            for (int j = i; j > 0 && less(h, j - 1, j, reverse); j--) Collections.swap(h, j, j - 1);
        }
    }
}
