package dev.forklift.pool.internal;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * The result list of a {@code map}, built by the caller's thread ({@link AbstractPool#collect}) from the results in
 * input order: boxed values one by one, or a whole chunk of {@code int} results as one array
 * ({@link JobSink#deliverInts}), kept packed and boxed only when read, so that a map of a million int results does
 * not hold a million {@code Integer}s while it runs (the young collections copied them). Once built it is an
 * ordinary list: in input order, random access, every {@link List} operation supported; the first change
 * ({@code set}, {@code add}, {@code remove}, {@code clear}...) copies it into an {@link ArrayList} that serves from
 * then on. Serialized as an {@link ArrayList}. Not thread-safe, like {@link ArrayList}. Internal; not API.
 */
final class MapResultList extends AbstractList<Object> implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;

    /** Runs of results in order: each an {@code int[]} or an {@code ArrayList<Object>}; null once changed. */
    private transient Object[] segments = new Object[8];
    /** The index of each run's first result. */
    private transient int[] starts = new int[8];
    private transient int segmentCount;
    private transient int size;
    /** The open run of boxed values, or null. */
    private transient ArrayList<Object> boxedTail;
    private final transient long sizeHint;
    /** Every result, once the list was changed (or built without any packed run); null before. */
    private ArrayList<Object> plain;

    /**
     * @param sizeHint the number of results expected, or a negative number when unknown (capacity only).
     */
    MapResultList(final long sizeHint) {
        this.sizeHint = sizeHint;
    }

    /**
     * Appends a whole chunk of int results; the list keeps the array (the caller must not change it).
     *
     * @param values the results.
     */
    void addInts(final int[] values) {
        if (values.length == 0) {
            return;
        }
        boxedTail = null;
        append(values);
        size += values.length;
    }

    /**
     * Appends one result while building.
     *
     * @param value the result.
     * @return true.
     */
    @Override
    public boolean add(final Object value) {
        if (segments == null) {
            modCount++;
            return plain.add(value);
        }
        modCount++;
        if (boxedTail == null) {
            final long left = sizeHint - size;
            boxedTail = new ArrayList<>((int) Math.max(10, Math.min(left, 1L << 26)));
            append(boxedTail);
        }
        boxedTail.add(value);
        size++;
        return true;
    }

    private void append(final Object run) {
        if (segmentCount == segments.length) {
            segments = Arrays.copyOf(segments, segmentCount * 2);
            starts = Arrays.copyOf(starts, segmentCount * 2);
        }
        segments[segmentCount] = run;
        starts[segmentCount] = size;
        segmentCount++;
    }

    /**
     * @return the finished list: a plain {@link ArrayList} when no packed run came (what {@code map} always
     *     returned), else this list.
     */
    List<Object> finish() {
        if (segments != null && segmentCount == 1 && segments[0] instanceof ArrayList) {
            @SuppressWarnings("unchecked")
            final ArrayList<Object> only = (ArrayList<Object>) segments[0];
            return only;
        }
        if (segments != null && segmentCount == 0) {
            return new ArrayList<>();
        }
        return this;
    }

    @Override
    public Object get(final int index) {
        if (segments == null) {
            return plain.get(index);
        }
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " out of 0.." + size);
        }
        int low = 0;
        int high = segmentCount - 1;
        while (low < high) {
            final int middle = (low + high + 1) >>> 1;
            if (starts[middle] <= index) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        final Object run = segments[low];
        final int at = index - starts[low];
        if (run instanceof int[]) {
            return ((int[]) run)[at];
        }
        return ((ArrayList<?>) run).get(at);
    }

    @Override
    public int size() {
        return segments == null ? plain.size() : size;
    }

    /** Turns the runs into one {@link ArrayList} before the first change (a {@code set} keeps the structure). */
    private ArrayList<Object> changing() {
        if (segments != null) {
            final ArrayList<Object> all = new ArrayList<>(Math.max(10, size));
            for (int s = 0; s < segmentCount; s++) {
                if (segments[s] instanceof int[]) {
                    for (final int value : (int[]) segments[s]) {
                        all.add(value);
                    }
                } else {
                    all.addAll((ArrayList<?>) segments[s]);
                }
            }
            plain = all;
            segments = null;
            starts = null;
            boxedTail = null;
        }
        return plain;
    }

    /** As {@link #changing()}, for a change of the list's structure (iterators made before it fail fast). */
    private ArrayList<Object> restructuring() {
        modCount++;
        return changing();
    }

    @Override
    public Object set(final int index, final Object value) {
        return changing().set(index, value);
    }

    @Override
    public void add(final int index, final Object value) {
        restructuring().add(index, value);
    }

    @Override
    public Object remove(final int index) {
        return restructuring().remove(index);
    }

    @Override
    public boolean addAll(final Collection<?> values) {
        return restructuring().addAll(values);
    }

    @Override
    public boolean addAll(final int index, final Collection<?> values) {
        return restructuring().addAll(index, values);
    }

    @Override
    public void clear() {
        restructuring().clear();
    }

    @Override
    protected void removeRange(final int fromIndex, final int toIndex) {
        restructuring().subList(fromIndex, toIndex).clear();
    }

    /** @return an {@link ArrayList} with the same results, which is what is written. */
    private Object writeReplace() {
        return new ArrayList<>(this);
    }
}
