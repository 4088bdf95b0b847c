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
 *   <li>{@code mid-put}: a result frame's slot of the result queue is claimed and partly written, not published:
 *       the worker dies holding it (a torn slot at the head of the shared result queue until it is repaired);</li>
 *   <li>{@code after-write}: a result frame was put on the result queue, before the master has read it.</li>
 * </ul>
 * One more point stalls instead of killing: {@code stall-mid-put} holds a claimed result slot for
 * {@code -Dforklift.pool.faultStallMs=MS} (default 3000) before it publishes the frame, as a live but slow
 * producer would (such a slot is never repaired: the master waits for it).
 * With {@code -Dforklift.pool.faultOnce=FILE}, only the first worker that reaches the point acts (it creates FILE
 * atomically and writes its pid into it; every later worker finds it and carries on). Internal; not API.
 */
final class FaultPoints {
    static final String AFTER_DEQUEUE = "after-dequeue";
    static final String DURING_TASK = "during-task";
    static final String BEFORE_FLUSH = "before-flush";
    static final String AFTER_WRITE = "after-write";
    static final String MID_PUT = "mid-put";
    static final String STALL_MID_PUT = "stall-mid-put";

    private static final String POINT = System.getProperty("forklift.pool.faultPoint", "");
    private static final String ONCE = System.getProperty("forklift.pool.faultOnce", "");
    private static final long STALL_MS = Long.getLong("forklift.pool.faultStallMs", 3_000);

    private FaultPoints() {
    }

    /** @return true when some fault point is configured (cheap check for the hot path). */
    static boolean enabled() {
        return !POINT.isEmpty();
    }

    /** Dies here if this is the configured point (and, with a once-file, if no worker died here before). */
    static void reached(final String point) {
        if (fires(point)) {
            killMinus9();
        }
    }

    /**
     * @param point a point.
     * @return true when this is the configured point and, with a once-file, this worker is the first to reach it
     *         (the file is then created, holding this worker's pid).
     */
    static boolean fires(final String point) {
        if (!POINT.equals(point)) {
            return false;
        }
        if (!ONCE.isEmpty()) {
            try {
                Files.createFile(Path.of(ONCE));
                Files.writeString(Path.of(ONCE), Long.toString(ProcessHandle.current().pid()));
            } catch (final FileAlreadyExistsException ex) {
                return false;
            } catch (final IOException ex) {
                return false;
            }
        }
        return true;
    }

    /** Waits the configured stall time ({@code forklift.pool.faultStallMs}). */
    static void stall() {
        try {
            Thread.sleep(STALL_MS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static void killMinus9() {
        try {
            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
            Thread.sleep(5_000);
        } catch (final IOException | InterruptedException ex) {
            // fall through to halt
        }
        Runtime.getRuntime().halt(137);
    }
}
