package dev.forklift.process.internal;

import dev.forklift.process.TaskContext;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The {@link TaskContext} of the task running in this child process.
 *
 * <p>Internal; not API.
 */
final class ChildTaskContext implements TaskContext {
    private final ChildSpec spec;
    private final List<Object> args;
    private final StatusRow row;

    ChildTaskContext(final ChildSpec spec, final Object[] args, final StatusRow row) {
        this.spec = spec;
        this.args = Collections.unmodifiableList(Arrays.asList(args));
        this.row = row;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String role() {
        return spec.role();
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public long parentPid() {
        return spec.parentPid();
    }

    @Override
    public List<Object> args() {
        return args;
    }

    @Override
    public <A> A arg(final int index, final Class<A> type) {
        if (index < 0 || index >= args.size()) {
            throw new IllegalArgumentException("no argument at index " + index + ": the child has " + args.size()
                + " argument(s); expected type " + type.getName());
        }
        final Object value = args.get(index);
        if (value != null && !type.isInstance(value)) {
            throw new IllegalArgumentException("argument " + index + " has type " + value.getClass().getName()
                + ", not the expected type " + type.getName());
        }
        return type.cast(value);
    }

    @Override
    public void addItemsDone(final long items) {
        if (items < 0) {
            throw new IllegalArgumentException("items must not be negative: items=" + items);
        }
        row.addItemsDone(items);
    }

    @Override
    public long itemsDone() {
        return row.itemsDone();
    }

    @Override
    public void state(final String state) {
        row.state(state);
    }

    @Override
    public void workStamp(final long unit) {
        if (unit == 0) {
            throw new IllegalArgumentException("a work stamp's unit must not be 0 (0 means none): unit=0");
        }
        row.workStamp(unit, System.nanoTime());
    }

    @Override
    public void workStamp(final long unit, final long nanoTime) {
        if (unit == 0) {
            throw new IllegalArgumentException("a work stamp's unit must not be 0 (0 means none): unit=0");
        }
        row.workStamp(unit, nanoTime);
    }
}
