package dev.forklift.jobs.wordcount;

import dev.forklift.pipeline.Source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the word count cuts its input into work units and how many producers it starts, in the parent, before any
 * process starts.
 *
 * <p>Units: producers take units one at a time, so the last units decide how long one producer runs alone at the
 * end. With whole files as units, 4 files on 2 producers could end 1:3 (measured: one core idle for the last file);
 * with equal parts of a 32nd of the input, one producer still ran alone for up to one part (about 0.2-0.3 s on
 * 4 x 250 MB). So the units shrink as the input is handed out (guided self-scheduling): each is a
 * {@link #GUIDED_DIVISOR}-th of one producer's share of the bytes not yet cut, at least {@link #MIN_UNIT_BYTES}, at
 * most {@link #MAX_UNIT_BYTES}: the first units are big (few hand-overs while the producers warm up), the last ones
 * small, so the producers end within about one {@link #MIN_UNIT_BYTES} unit of each other. A part is read by
 * {@link FileRangeSource}; the rest of a file shorter than one and a half units stays one unit; a file whose size is
 * unknown (missing, not a regular file) is one unit, so it fails as one source.
 *
 * <p>Producers: at most the number of units, and at most one per {@link #MIN_BYTES_PER_PRODUCER} of input: a
 * producer JVM costs about 0.3 s of CPU to start, about what tokenizing 50 MB costs, so tiny inputs get one producer
 * (docs/pipelines.md, "Word count: work units and process counts").
 */
public final class WorkUnits {
    /** A unit is this fraction of one producer's share of the bytes not yet cut (then bounded). */
    public static final int GUIDED_DIVISOR = 4;
    /** The smallest part a file is cut into. */
    public static final long MIN_UNIT_BYTES = 4L << 20;
    /** The largest part a file is cut into. */
    public static final long MAX_UNIT_BYTES = 64L << 20;
    /** Input per producer below which fewer producers are started than asked for. */
    public static final long MIN_BYTES_PER_PRODUCER = 16L << 20;

    private final List<Source<byte[]>> sources;
    private final int producers;
    private final long totalBytes;

    private WorkUnits(final List<Source<byte[]>> sources, final int producers, final long totalBytes) {
        this.sources = List.copyOf(sources);
        this.producers = producers;
        this.totalBytes = totalBytes;
    }

    /**
     * @param files        the files, in order.
     * @param maxProducers the most producers to use, at least 1.
     * @param blockBytes   the block size the units read with.
     * @return the units and the producer count.
     * @throws IllegalArgumentException if {@code maxProducers} is below 1; the message names it.
     */
    public static WorkUnits plan(final List<Path> files, final int maxProducers, final int blockBytes) {
        if (maxProducers < 1) {
            throw new IllegalArgumentException("maxProducers must be at least 1: maxProducers=" + maxProducers);
        }
        final long[] sizes = new long[files.size()];
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = sizeOf(files.get(i));
            total += Math.max(0, sizes[i]);
        }
        final int bySize = (int) Math.min(maxProducers, Math.max(1, (total + MIN_BYTES_PER_PRODUCER - 1)
            / MIN_BYTES_PER_PRODUCER));
        final List<Source<byte[]>> sources = new ArrayList<>();
        long remaining = total;
        for (int i = 0; i < sizes.length; i++) {
            final Path file = files.get(i);
            if (sizes[i] < 0) {
                sources.add(new FileRangeSource(file, 0, Long.MAX_VALUE, blockBytes));
                continue;
            }
            long from = 0;
            while (true) {
                final long unit = unitBytes(remaining, bySize);
                final long rest = sizes[i] - from;
                if (rest < unit + unit / 2) { // The rest of the file is one unit, read to its end.
                    sources.add(new FileRangeSource(file, from, Long.MAX_VALUE, blockBytes));
                    remaining -= rest;
                    break;
                }
                sources.add(new FileRangeSource(file, from, from + unit, blockBytes));
                from += unit;
                remaining -= unit;
            }
        }
        return new WorkUnits(sources, Math.max(1, Math.min(bySize, sources.size())), total);
    }

    /** @return the size of the next unit, with {@code remainingBytes} of the input not yet cut into units. */
    static long unitBytes(final long remainingBytes, final int producers) {
        final long guided = remainingBytes / ((long) producers * GUIDED_DIVISOR);
        return Math.min(MAX_UNIT_BYTES, Math.max(MIN_UNIT_BYTES, guided));
    }

    /** @return the units, each one pipeline source, the parts of a file in order. */
    public List<Source<byte[]>> sources() {
        return sources;
    }

    /** @return the producers to start: 1 to the most asked for. */
    public int producers() {
        return producers;
    }

    /** @return the sum of the sizes of the files that are regular files. */
    public long totalBytes() {
        return totalBytes;
    }

    private static long sizeOf(final Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : -1;
        } catch (final IOException | SecurityException ex) {
            return -1;
        }
    }
}
