package dev.forklift.cli.demo;

import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The consumer process of the demo: takes items off the queue until the end of the stream, checks each one
 * (recomputes its CRC-32), aggregates per source, and reports its tallies on the results queue.
 *
 * <p>Arguments: {@code Queue<Chunk>} items, {@code Queue<SourceTally>} results.
 */
public final class DemoConsumer implements ProcessTask {
    private static final long serialVersionUID = 1L;

    @Override
    public void run(final TaskContext context) throws Exception {
        final Queue<Chunk> items = context.queueArg(0, Chunk.class);
        final Queue<SourceTally> results = context.queueArg(1, SourceTally.class);
        final Map<String, long[]> perSource = new TreeMap<>();
        final CRC32 crc = new CRC32();
        for (final Chunk chunk : items) {
            crc.reset();
            crc.update(chunk.text().getBytes(StandardCharsets.UTF_8));
            final long[] tally = perSource.computeIfAbsent(chunk.source(), s -> new long[4]);
            tally[0]++;
            tally[1] += crc.getValue();
            tally[2] += DemoProducer.countWords(chunk.text());
            if (crc.getValue() != chunk.crc()) {
                tally[3]++;
            }
            context.addItemsDone(1);
        }
        context.state("reporting");
        for (final Map.Entry<String, long[]> entry : perSource.entrySet()) {
            final long[] t = entry.getValue();
            results.put(new SourceTally(SourceTally.CONSUMED, context.pid(), entry.getKey(), t[0], t[1], t[2], t[3]));
        }
        context.state("done");
    }
}
