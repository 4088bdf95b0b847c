package dev.forklift.bench.queue;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.process.ProcessTask;
import dev.forklift.queue.WaitStrategy;

import java.time.Duration;
import java.util.List;

/** Starting and ending the child JVMs of a benchmark run; every case starts its children here. */
public final class ChildJvms {
    /**
     * Options added to every benchmark child: none, so that the children run with Forklift's default settings, as
     * a user's would. {@code -Dforklift.bench.childJvm="-Xmn64m ..."} adds some, to compare settings; a run with it
     * does not measure the defaults.
     */
    static final String[] JVM_OPTIONS = System.getProperty("forklift.bench.childJvm", "").isBlank() ? new String[0]
        : System.getProperty("forklift.bench.childJvm").trim().split("\\s+");
    private static final Duration JOIN = Duration.ofSeconds(60);

    private ChildJvms() {
    }

    /**
     * @param task the child's task class.
     * @param role its role in {@code forklift ps}.
     * @param args its arguments.
     * @return a builder of a child with Forklift's default settings (plus {@code forklift.bench.childJvm}, if set).
     */
    public static ChildProcessBuilder child(final Class<? extends ProcessTask> task, final String role,
        final Object... args) {
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

    /** @return the default strategy, or the one named by {@code -Dforklift.bench.wait=spin|yield|backoff:S,Y,MIN,MAX} for comparison. */
    static WaitStrategy waitStrategy() {
        final String name = System.getProperty("forklift.bench.wait", "default");
        if (name.startsWith("backoff:")) {
            final String[] p = name.substring("backoff:".length()).split(",");
            return WaitStrategy.backoff(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]),
                Long.parseLong(p[3]));
        }
        switch (name) {
            case "spin": return WaitStrategy.busySpin();
            case "yield": return WaitStrategy.yielding();
            default: return WaitStrategy.defaultStrategy();
        }
    }

}
