package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.Source;
import dev.forklift.pipeline.SourceContext;

/**
 * A user iterable as a source; position = item index from 0. The iterable is serialized to the producer and
 * iterated there.
 *
 * @param <T> the type of the items.
 */
public final class IterableSource<T> implements Source<T> {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final Iterable<T> items;

    /**
     * @param name  the source's name.
     * @param items the items; must be serializable.
     */
    public IterableSource(final String name, final Iterable<T> items) {
        if (!(items instanceof java.io.Serializable)) {
            throw new IllegalArgumentException("iterable source " + name + " must be serializable: "
                + items.getClass().getName());
        }
        this.name = name;
        this.items = items;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void read(final SourceContext<T> context) throws Exception {
        for (final T item : items) {
            context.emit(item);
        }
    }
}
