package dev.forklift.pool;

import dev.forklift.queue.Queue;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A fresh JVM for {@link FlightRecorderStartPathTest}, which checks its exit code and standard output.
 * {@code pool}: a pool of 2 to its first result, no recording on. {@code late DIR}: a queue created with no
 * recording on, then a recording started in-process, which must still get the queue's statistics events.
 */
public final class FlightRecorderProbeMain {
    private FlightRecorderProbeMain() {
    }

    public static void main(final String[] args) throws Exception {
        if (args[0].equals("pool")) {
            try (Pool pool = Pool.builder().workers(2).name("jfr-probe").build()) {
                final int result = pool.submit((Integer x) -> x + 1, 1).join();
                System.out.println("result " + result);
                // Every worker's start is checked, also one a small machine launches only after the first is
                // ready (staggered start): wait for it before the close kills it mid-boot.
                System.out.println("workers " + pool.workerPids().size());
            }
            return;
        }
        try (Queue<String> queue = Queue.builder(String.class).name("late-recorded").capacity(4).build()) {
            queue.put("one");
            System.out.println("initialised before the recording " + FlightRecorder.isInitialized());
            final Path file = Path.of(args[1]).resolve("late.jfr");
            try (Recording recording = new Recording()) {
                recording.enable("dev.forklift.QueueStatistics").withPeriod(Duration.ofMillis(100));
                recording.start();
                final long deadlineNs = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                List<RecordedEvent> events = List.of();
                while (System.nanoTime() < deadlineNs) {
                    Thread.sleep(250);
                    final Path part = Files.createTempFile(file.getParent(), "part", ".jfr");
                    recording.dump(part);
                    events = RecordingFile.readAllEvents(part).stream()
                        .filter(e -> e.getEventType().getName().equals("dev.forklift.QueueStatistics")
                            && e.getString("queue").endsWith("late-recorded"))
                        .toList();
                    if (!events.isEmpty()) {
                        break;
                    }
                }
                System.out.println("statistics events " + events.size()
                    + (events.isEmpty() ? "" : " size " + events.get(0).getInt("size")));
            }
        }
    }
}
