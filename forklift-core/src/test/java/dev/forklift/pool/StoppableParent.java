package dev.forklift.pool;

import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A parent JVM running a pool job of 2 workers over {@code n} inputs (10 ms each), for tests that stop and resume
 * the parent (and its workers). Arguments: the report queue, the results file, {@code n}, and a heartbeat timeout in
 * milliseconds (0 for the pool's default). It reports {@code flowing <worker pids>} once 20 results arrived, writes
 * every result to the file when all arrived, then reports {@code stats <heartbeat kills> <worker crashes>}.
 */
public final class StoppableParent implements ProcessTask {
    private static final long serialVersionUID = 1L;

    @Override
    @SuppressWarnings("unchecked")
    public void run(final TaskContext context) throws Exception {
        final Queue<String> report = context.arg(0, Queue.class);
        final Path out = Path.of(context.arg(1, String.class));
        final int n = context.arg(2, Integer.class);
        final long heartbeatTimeoutMs = context.arg(3, Long.class);
        final PoolBuilder builder = Pool.builder().workers(2).name("stoppable-parent-" + context.pid());
        if (heartbeatTimeoutMs > 0) {
            builder.heartbeatTimeout(Duration.ofMillis(heartbeatTimeoutMs));
        }
        try (Pool pool = builder.build()) {
            final Iterator<Integer> results = pool.imapUnordered((Integer x) -> {
                Faults.sleep(10);
                return x;
            }, IntStream.range(0, n).boxed().iterator());
            final StringBuilder lines = new StringBuilder();
            int count = 0;
            while (results.hasNext()) {
                lines.append(results.next()).append('\n');
                if (++count == 20) {
                    report.put("flowing " + pool.workerPids().stream().map(String::valueOf)
                        .collect(Collectors.joining(" ")));
                }
            }
            final PoolStats stats = pool.stats();
            Files.writeString(out, lines.toString(), StandardCharsets.UTF_8);
            report.put("stats " + stats.heartbeatKills() + " " + stats.workerCrashes());
        }
    }

    /**
     * @param out the results file the parent wrote.
     * @param n   the number of inputs.
     */
    static void assertEveryResultExactlyOnce(final Path out, final int n) throws java.io.IOException {
        final Map<String, Long> counts = Files.readAllLines(out).stream()
            .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        assertThat(counts).hasSize(n);
        assertThat(counts.values()).allMatch(c -> c == 1L);
    }
}
