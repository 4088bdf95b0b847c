package dev.forklift.pool.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MapResultList}: packed int runs and boxed values read as one ordinary list, changeable like an ArrayList. */
class MapResultListTest {
    /** 0..9 as a packed run, 10..12 boxed, 13..19 packed. */
    private static MapResultList mixed() {
        final MapResultList list = new MapResultList(20);
        list.addInts(IntStream.range(0, 10).toArray());
        list.add(10);
        list.add(11);
        list.add(12);
        list.addInts(IntStream.range(13, 20).toArray());
        return list;
    }

    private static List<Integer> expected(final int to) {
        return IntStream.range(0, to).boxed().collect(Collectors.toList());
    }

    @Test
    void packedAndBoxedRunsReadInOrder() {
        final MapResultList list = mixed();
        assertThat(list.finish()).isSameAs(list);
        assertThat(list).hasSize(20).isEqualTo(expected(20));
        assertThat(list.get(0)).isEqualTo(0);
        assertThat(list.get(9)).isEqualTo(9);
        assertThat(list.get(10)).isEqualTo(10);
        assertThat(list.get(19)).isEqualTo(19);
        assertThat(list.hashCode()).isEqualTo(expected(20).hashCode());
        assertThat(list.indexOf(15)).isEqualTo(15);
        assertThat(list.subList(8, 12)).containsExactly(8, 9, 10, 11);
        assertThatThrownBy(() -> list.get(20)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> list.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void everyChangeWorksAsOnAnArrayList() {
        final MapResultList list = mixed();
        final List<Object> reference = new ArrayList<>(expected(20));
        list.set(3, "three");
        reference.set(3, "three");
        list.add(0, -1);
        reference.add(0, -1);
        list.remove(5);
        reference.remove(5);
        list.add(99);
        reference.add(99);
        list.subList(2, 4).clear();
        reference.subList(2, 4).clear();
        assertThat(list).isEqualTo(reference);
        final MapResultList sorted = mixed();
        sorted.sort(Collections.reverseOrder((a, b) -> Integer.compare((Integer) a, (Integer) b)));
        assertThat(sorted.get(0)).isEqualTo(19);
        assertThat(sorted.get(19)).isEqualTo(0);
        final MapResultList appended = mixed();
        appended.add(20);
        assertThat(appended).isEqualTo(expected(21));
        final MapResultList cleared = mixed();
        cleared.clear();
        assertThat(cleared).isEmpty();
    }

    @Test
    void anIteratorSeesAChangeMadeBehindItsBack() {
        final MapResultList list = mixed();
        final ListIterator<Object> it = list.listIterator();
        it.next();
        list.set(1, 100);
        // set does not change the structure (as ArrayList): the iterator goes on and reads the new value
        assertThat(it.next()).isEqualTo(100);
        list.remove(0);
        assertThatThrownBy(it::next).isInstanceOf(java.util.ConcurrentModificationException.class);
    }

    @Test
    void serializesAsAnArrayList() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(mixed());
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            final Object read = in.readObject();
            assertThat(read).isInstanceOf(ArrayList.class).isEqualTo(expected(20));
        }
    }

    @Test
    void withoutPackedRunsTheResultIsAPlainArrayList() {
        final MapResultList list = new MapResultList(3);
        list.add("a");
        list.add("b");
        assertThat(list.finish()).isExactlyInstanceOf(ArrayList.class).containsExactly("a", "b");
        assertThat(new MapResultList(-1).finish()).isExactlyInstanceOf(ArrayList.class).isEmpty();
    }
}
