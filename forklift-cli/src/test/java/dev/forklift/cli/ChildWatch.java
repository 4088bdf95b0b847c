package dev.forklift.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Watches the child processes of the test JVM while a command runs in it, to prove that the command started none
 * (a JVM child lives for far longer than the 2 ms between two looks).
 *
 * @param run            the command's run.
 * @param childrenSeenAt the most child processes seen at once while it ran.
 */
public record ChildWatch(CommandRun run, long childrenSeenAt) {
    /**
     * @param command the command to run, such as {@code () -> CommandRun.of(args)}.
     * @return its run and the most children seen.
     */
    public static ChildWatch during(final Supplier<CommandRun> command) {
        final long before = ProcessHandle.current().children().count();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong most = new AtomicLong();
        final Thread watcher = new Thread(() -> {
            while (running.get()) {
                most.accumulateAndGet(ProcessHandle.current().children().count() - before, Math::max);
                try {
                    Thread.sleep(2);
                } catch (final InterruptedException ex) {
                    return;
                }
            }
        }, "child-watch");
        watcher.setDaemon(true);
        watcher.start();
        try {
            final CommandRun run = command.get();
            return new ChildWatch(run, most.get());
        } finally {
            running.set(false);
            watcher.interrupt();
        }
    }
}
