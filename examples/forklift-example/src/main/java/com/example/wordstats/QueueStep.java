package com.example.wordstats;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two child JVMs and a queue between them: a producer splits lines into words and puts them on the queue, a
 * consumer takes them off and counts them, then hands the total back to the parent on a second queue.
 */
public final class QueueStep {
    private QueueStep() {
    }

    /**
     * @param lines the lines.
     * @return the number of words the consumer counted.
     * @throws Exception if a child fails.
     */
    public static long countWords(final List<String> lines) throws Exception {
        try (Queue<String> words = Queue.builder(String.class).capacity(256).build();
             Queue<Long> totals = Queue.builder(Long.class).capacity(1).build();
             ChildProcess producer = ChildProcess.builder(Producer.class).role("producer")
                 .args(words, new ArrayList<>(lines)).start();
             ChildProcess consumer = ChildProcess.builder(Consumer.class).role("consumer")
                 .args(words, totals).start()) {
            producer.joinAndCheck(Duration.ofMinutes(1));
            words.close(); // end of stream: the consumer drains what is left, then reports
            consumer.joinAndCheck(Duration.ofMinutes(1));
            return totals.take();
        }
    }

    /** Runs in the producer JVM: arguments (words queue, list of lines). */
    public static final class Producer implements ProcessTask {
        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws InterruptedException {
            final Queue<String> words = context.queueArg(0, String.class);
            for (final String line : (List<String>) context.arg(1, List.class)) {
                for (final String word : TextStats.words(line)) {
                    words.put(word);
                    context.addItemsDone(1);
                }
            }
        }
    }

    /** Runs in the consumer JVM: arguments (words queue, totals queue). */
    public static final class Consumer implements ProcessTask {
        @Override
        public void run(final TaskContext context) throws InterruptedException {
            final Queue<String> words = context.queueArg(0, String.class);
            long count = 0;
            for (final String ignored : words) {
                count++;
                context.addItemsDone(1);
            }
            context.queueArg(1, Long.class).put(count);
        }
    }
}
