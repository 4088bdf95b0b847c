package dev.forklift.pool.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Deterministic crash points in a worker, for fault-injection tests and {@code forklift chaos}. Off unless the
 * worker JVM is started with {@code -Dforklift.pool.faultPoint=POINT} (for example through
 * {@code PoolBuilder.jvmOptions}); then the worker kills itself with SIGKILL when it reaches that point:
 * <ul>
 *   <li>{@code after-dequeue}: a task frame was taken from the inbox, nothing of it has run;</li>
 *   <li>{@code during-task}: the input was decoded, the function is about to run;</li>
 *   <li>{@code before-flush}: results were written into the worker's buffer, not yet sent;</li>
 *   <li>{@code after-write}: a result frame was put on the result queue, before the master has read it.</li>
 * </ul>
 * With {@code -Dforklift.pool.faultOnce=FILE}, only the first worker that reaches the point dies (it creates FILE
 * atomically; every later worker finds it and carries on). Internal; not API.
 */
final class FaultPoints {
    static final String AFTER_DEQUEUE = "after-dequeue";
    static final String DURING_TASK = "during-task";
    static final String BEFORE_FLUSH = "before-flush";
    static final String AFTER_WRITE = "after-write";

    private static final String POINT = System.getProperty("forklift.pool.faultPoint", "");
    private static final String ONCE = System.getProperty("forklift.pool.faultOnce", "");

    private FaultPoints() {
    }

    /** @return true when some fault point is configured (cheap check for the hot path). */
    static boolean enabled() {
        return !POINT.isEmpty();
    }

    /** Dies here if this is the configured point (and, with a once-file, if no worker died here before). */
    static void reached(final String point) {
        if (!POINT.equals(point)) {
            return;
        }
        if (!ONCE.isEmpty()) {
            try {
                Files.createFile(Path.of(ONCE));
            } catch (final FileAlreadyExistsException ex) {
                return;
            } catch (final IOException ex) {
                return;
            }
        }
        killMinus9();
    }

    private static void killMinus9() {
        try {
            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
            Thread.sleep(5_000);
        } catch (final IOException | InterruptedException ex) {
            // fall through to halt
        }
        Runtime.getRuntime().halt(137);
    }
}
