package dev.forklift.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The inputs a {@code forklift run} hands to its pool, drawn from a {@link RecordSource}: every record, or, when
 * resuming, exactly the records an interrupted run did not finish (a sorted list of records before a point, then
 * every record from that point on). Knows the record behind each input the pool numbered, and what was not handed
 * out when {@link #stop()} was called.
 *
 * <p>Iterated by the thread that feeds the pool (the pool reads inputs on the thread that consumes its outcomes);
 * {@link #stop()} may be called from any thread, after which no further input is handed out.
 */
final class RunInputs implements Iterator<String> {
    private final RecordSource source;
    private final long[] notRun;
    private final long next;
    private volatile boolean stopped;
    private int notRunFetched;
    private String pending;
    private long handed;

    /**
     * @param source where the records come from.
     * @param notRun records before {@code next} to run, ascending (empty for a fresh run).
     * @param next   the first record from which every record is run (0 for a fresh run).
     */
    RunInputs(final RecordSource source, final long[] notRun, final long next) {
        this.source = source;
        this.notRun = notRun.clone();
        this.next = next;
        for (int i = 0; i < this.notRun.length; i++) {
            if (this.notRun[i] >= next || (i > 0 && this.notRun[i] <= this.notRun[i - 1])) {
                throw new IllegalArgumentException("records to run again must ascend below " + next + ": "
                    + Arrays.toString(notRun));
            }
        }
    }

    @Override
    public boolean hasNext() {
        if (stopped) {
            return false;
        }
        if (pending != null) {
            return true;
        }
        try {
            while (true) {
                final long record = source.recordsRead();
                final boolean listed = notRunFetched < notRun.length && notRun[notRunFetched] == record;
                final boolean wanted = listed || record >= next;
                final String text = source.next(wanted);
                if (text == null) {
                    return false;
                }
                if (wanted) {
                    if (listed) {
                        notRunFetched++;
                    }
                    pending = text;
                    return !stopped;
                }
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex.getMessage(), ex);
        }
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        final String input = pending;
        pending = null;
        handed++;
        return input;
    }

    /** Hands out no further input (from any thread). */
    void stop() {
        stopped = true;
    }

    /**
     * @param index the pool's index of an input handed out.
     * @return the record it is.
     */
    long recordOf(final long index) {
        return index < notRun.length ? notRun[(int) index] : next + (index - notRun.length);
    }

    /** @return the listed records not handed out yet. */
    long[] listedNotHanded() {
        return Arrays.copyOfRange(notRun, (int) Math.min(handed, notRun.length), notRun.length);
    }

    /** @return the first record from which nothing was handed out yet. */
    long firstNotHanded() {
        return next + Math.max(0, handed - notRun.length);
    }

    /** @return true when every record was read and handed out. */
    boolean allHanded() {
        return source.exhausted() && pending == null && handed >= notRun.length;
    }
}
