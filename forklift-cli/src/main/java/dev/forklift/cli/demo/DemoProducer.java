package dev.forklift.cli.demo;

import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

/**
 * The producer process of the demo: reads its sources at the same time (one thread per source), processes
 * every record (normalises the text, counts its words, computes its CRC-32) and puts the result on the items
 * queue; at the end it reports what it produced, per source, on the results queue.
 *
 * <p>Arguments: {@code List<SourceSpec>} sources, {@code Queue<Chunk>} items, {@code Queue<SourceTally>} results.
 */
public final class DemoProducer implements ProcessTask {
    private static final long serialVersionUID = 1L;
    /**
     * The longest record, in bytes of its (normalised) UTF-8 text: each line of a source is one record, and a longer
     * line fails its source with a {@link RecordTooLongException}.
     */
    public static final int MAX_RECORD_BYTES = 512 * 1024;
    /** The largest message on the items queue: a record of {@link #MAX_RECORD_BYTES} and its source's name. */
    static final int MAX_MESSAGE_BYTES = MAX_RECORD_BYTES + 64 * 1024;

    @Override
    @SuppressWarnings("unchecked")
    public void run(final TaskContext context) throws Exception {
        final List<SourceSpec> sources = context.arg(0, List.class);
        final Queue<Chunk> items = context.queueArg(1, Chunk.class);
        final Queue<SourceTally> results = context.queueArg(2, SourceTally.class);
        final ExecutorService readers = Executors.newFixedThreadPool(Math.max(1, sources.size()));
        try {
            final List<Future<SourceTally>> tallies = new ArrayList<>();
            for (final SourceSpec source : sources) {
                tallies.add(readers.submit(() -> produce(source, items, context)));
            }
            Exception failure = null;
            for (final Future<SourceTally> tally : tallies) {
                try {
                    results.put(tally.get());
                } catch (final java.util.concurrent.ExecutionException ex) {
                    failure = failure == null ? (Exception) ex.getCause() : failure;
                }
            }
            context.state("done");
            if (failure != null) {
                throw failure;
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static SourceTally produce(final SourceSpec source, final Queue<Chunk> items, final TaskContext context) {
        final long[] counts = new long[3];
        final CRC32 crc = new CRC32();
        source.forEachRecord(line -> {
            final String text = normalise(line);
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_RECORD_BYTES) {
                throw new RecordTooLongException(source.name(), counts[0] + 1);
            }
            crc.reset();
            crc.update(bytes);
            final int words = countWords(text);
            try {
                items.put(new Chunk(source.name(), counts[0], text, words, crc.getValue()));
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while putting on the items queue", ex);
            }
            counts[0]++;
            counts[1] += crc.getValue();
            counts[2] += words;
            context.addItemsDone(1);
        });
        return new SourceTally(SourceTally.PRODUCED, context.pid(), source.name(), counts[0], counts[1], counts[2], 0);
    }

    static String normalise(final String line) {
        return line.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    static int countWords(final String text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            final boolean letter = Character.isLetterOrDigit(text.charAt(i));
            if (letter && !inWord) {
                words++;
            }
            inWord = letter;
        }
        return words;
    }
}
