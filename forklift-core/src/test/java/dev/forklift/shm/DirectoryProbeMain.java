package dev.forklift.shm;

import dev.forklift.process.ChildOutput;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;
import dev.forklift.queue.internal.SharedQueue;

import java.time.Duration;

/**
 * A parent JVM for the directory tests, started by a test with its own system properties (such as
 * {@code -Dforklift.shm.dir}). It prints {@code parent-dir=<directory>} and {@code parent-queue=<file>}, then starts
 * one child that prints {@code child-dir=...} and {@code child-queue=...} for a queue of its own, and exits 0 when the
 * child succeeded (2 and the reason otherwise).
 */
public final class DirectoryProbeMain {
    private DirectoryProbeMain() {
    }

    /** Run in the child: reports its own directory and where a queue it makes lands. */
    public static final class ReportDirectory implements ProcessTask {
        @Override
        public void run(final TaskContext context) {
            report("child");
        }
    }

    /**
     * @param args none.
     */
    public static void main(final String[] args) {
        try {
            report("parent");
            try (ChildProcess child = ChildProcess.builder(ReportDirectory.class).role("probe")
                .jvmOptions("-XX:TieredStopAtLevel=1", "-Xshare:auto").output(ChildOutput.inherit()).start()) {
                child.joinAndCheck(Duration.ofSeconds(60));
            }
            System.out.flush();
            System.exit(0);
        } catch (final Throwable ex) {
            System.out.println("probe-failed=" + ex);
            ex.printStackTrace(System.out);
            System.out.flush();
            System.exit(2);
        }
    }

    private static void report(final String who) {
        System.out.println(who + "-dir=" + SharedMemoryDirectory.current().path());
        try (Queue<String> queue = Queue.builder(String.class).name(who + "-probe").capacity(2).build()) {
            System.out.println(who + "-queue=" + ((SharedQueue<String>) queue).path());
        }
        System.out.flush();
    }
}
