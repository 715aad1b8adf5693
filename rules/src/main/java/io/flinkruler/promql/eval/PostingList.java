package io.flinkruler.promql.eval;

import java.util.Arrays;

/**
 * The ids of the series that have one label value, in no particular order. Removal swaps the last id
 * into the freed position, so the store must learn which id moved where (it keeps every series'
 * position in each of its lists): that makes removal O(1) however long the list is.
 */
final class PostingList {
    /** Two slots cost no more than one (object alignment), and most values of a label name are rare. */
    private static final int INITIAL_CAPACITY = 2;

    private int[] ids = new int[INITIAL_CAPACITY];
    private int size;

    /** Appends an id and returns its position. */
    int add(int id) {
        if (size == ids.length) ids = Arrays.copyOf(ids, size * 2);
        ids[size] = id;
        return size++;
    }

    /**
     * Removes the id at {@code position}; returns the id that moved into that position, or -1 when the
     * removed id was the last one.
     */
    int removeAt(int position) {
        int last = --size;
        if (position == last) return -1;
        int moved = ids[last];
        ids[position] = moved;
        return moved;
    }

    int size() { return size; }

    /** The backing array: a live view, valid for indices below {@link #size()} until the next change. */
    int[] ids() { return ids; }

    int capacity() { return ids.length; }
}
