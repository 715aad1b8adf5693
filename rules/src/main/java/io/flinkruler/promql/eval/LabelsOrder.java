package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;

/**
 * Stable sorting of series indexes by their labels, without boxing the indexes. A natural merge
 * sort: ascending runs already in the input (a leaf's series in label order, or several such
 * shards concatenated) are found first and merged, so sorted input costs one comparison per series.
 */
final class LabelsOrder {
    private LabelsOrder() {}

    /** The indexes 0..count-1 ordered by {@code labels[i]}; equal labels keep their index order. */
    static int[] sort(Labels[] labels, int count) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        if (count < 2) return order;
        int[] runStarts = new int[count + 1];
        int runs = 0;
        runStarts[runs++] = 0;
        for (int i = 1; i < count; i++) if (labels[i - 1].compareTo(labels[i]) > 0) runStarts[runs++] = i;
        if (runs == 1) return order;
        runStarts[runs] = count;
        int[] from = order;
        int[] to = new int[count];
        while (runs > 1) {
            int merged = 0;
            for (int r = 0; r < runs; r += 2) {
                int lo = runStarts[r];
                int mid = runStarts[Math.min(r + 1, runs)];
                int hi = runStarts[Math.min(r + 2, runs)];
                merge(labels, from, to, lo, mid, hi);
                runStarts[merged++] = lo;
            }
            runStarts[merged] = count;
            runs = merged;
            int[] swap = from;
            from = to;
            to = swap;
        }
        return from;
    }

    private static void merge(Labels[] labels, int[] from, int[] to, int lo, int mid, int hi) {
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
            // the right one first only when strictly smaller: stability
            if (labels[from[j]].compareTo(labels[from[i]]) < 0) to[k++] = from[j++];
            else to[k++] = from[i++];
        }
        while (i < mid) to[k++] = from[i++];
        while (j < hi) to[k++] = from[j++];
    }
}
