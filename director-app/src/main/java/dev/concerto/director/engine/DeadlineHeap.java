package dev.concerto.director.engine;

import java.util.Arrays;

/**
 * The earliest deadline among a fixed set of ids ({@code 0..size-1}), each with at most one
 * deadline: an indexed binary min-heap, so the scheduler finds the next due stream of a
 * thousand in O(1) and moves one in O(log n), without allocating. {@link Long#MAX_VALUE} means
 * "nothing due". Not thread-safe.
 */
final class DeadlineHeap {

    private final long[] keyOf;
    private final int[] heap;   // heap position -> id
    private final int[] where;  // id -> heap position

    DeadlineHeap(int size) {
        keyOf = new long[size];
        heap = new int[size];
        where = new int[size];
        Arrays.fill(keyOf, Long.MAX_VALUE);
        for (int i = 0; i < size; i++) {
            heap[i] = i;
            where[i] = i;
        }
    }

    int size() {
        return heap.length;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE}. */
    long minKey() {
        return heap.length == 0 ? Long.MAX_VALUE : keyOf[heap[0]];
    }

    /** The id with the earliest deadline (meaningful when {@link #minKey()} is not MAX_VALUE). */
    int minId() {
        return heap[0];
    }

    /** Sets an id's deadline. */
    void set(int id, long key) {
        long old = keyOf[id];
        keyOf[id] = key;
        if (key < old) {
            up(where[id]);
        } else if (key > old) {
            down(where[id]);
        }
    }

    private void up(int pos) {
        int id = heap[pos];
        long key = keyOf[id];
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (keyOf[heap[parent]] <= key) {
                break;
            }
            place(pos, heap[parent]);
            pos = parent;
        }
        place(pos, id);
    }

    private void down(int pos) {
        int id = heap[pos];
        long key = keyOf[id];
        int n = heap.length;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && keyOf[heap[child + 1]] < keyOf[heap[child]]) {
                child++;
            }
            if (keyOf[heap[child]] >= key) {
                break;
            }
            place(pos, heap[child]);
            pos = child;
        }
        place(pos, id);
    }

    private void place(int pos, int id) {
        heap[pos] = id;
        where[id] = pos;
    }
}
