package io.loomzk.protocol;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An unmodifiable list over an array the decoder made and owns. Unlike {@code List.of} it holds
 * nulls (a jute vector may hold null strings) and it does not copy.
 */
final class FrozenList<E> extends AbstractList<E> implements RandomAccess {
    private static final FrozenList<Object> EMPTY = new FrozenList<>(new Object[0]);

    private final E[] elements;

    private FrozenList(E[] elements) {
        this.elements = elements;
    }

    @SuppressWarnings("unchecked")
    static <E> List<E> of(E[] elements) {
        return elements.length == 0 ? (List<E>) EMPTY : new FrozenList<>(elements);
    }

    @Override
    public E get(int index) {
        return elements[index];
    }

    @Override
    public int size() {
        return elements.length;
    }
}
