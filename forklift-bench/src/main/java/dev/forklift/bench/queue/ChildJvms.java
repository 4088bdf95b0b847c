package dev.forklift.bench.queue;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.process.ProcessTask;

import java.time.Duration;
import java.util.List;

/** Starting and ending the child JVMs of a benchmark run. */
final class ChildJvms {
    /** Options of every benchmark child: a fixed heap, so that runs do not differ in heap sizing. */
    static final String[] JVM_OPTIONS = {"-Xms256m", "-Xmx256m"};
    private static final Duration JOIN = Duration.ofSeconds(60);

    private ChildJvms() {
    }

    static ChildProcessBuilder child(final Class<? extends ProcessTask> task, final String role, final Object... args) {
        return ChildProcess.builder(task).role(role).args(args).jvmOptions(JVM_OPTIONS);
    }

    /** Waits for every child to end and checks that each succeeded; kills the rest on failure. */
    static void joinAll(final List<ChildProcess> children) throws Exception {
        try {
            for (final ChildProcess child : children) {
                child.joinAndCheck(JOIN);
            }
        } finally {
            for (final ChildProcess child : children) {
                child.close();
            }
        }
    }

    /** Kills every child that still runs. */
    static void closeAll(final List<ChildProcess> children) {
        for (final ChildProcess child : children) {
            child.kill();
        }
    }
}
