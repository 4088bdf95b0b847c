package dev.forklift.pool.internal;

import dev.forklift.process.ExitStatus;
import dev.forklift.process.WorkStamp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The master's line to one worker process: send it task frames, learn of its exit at once, stop it. Made by a
 * {@link WorkerTransport}; used by the master process only; thread-safe.
 */
public interface WorkerChannel {
    /** @return the worker's process name. */
    String name();

    /** @return the worker's pid. */
    long pid();

    /**
     * Sends a task frame, waiting while the worker's inbox is full (the master keeps that rare).
     *
     * @param frame the frame.
     * @return false if the worker is gone or its inbox closed (the frame was not sent).
     * @throws InterruptedException if interrupted while waiting.
     */
    boolean send(byte[] frame) throws InterruptedException;

    /** Tells the worker to exit once it has finished every frame already sent. Idempotent, never blocks. */
    void finish();

    /** @return completed with the worker's exit status when its process ends. */
    CompletableFuture<ExitStatus> onExit();

    /**
     * @return the worker's last heartbeat (epoch ms on the worker's clock), written by a thread of the worker
     * independent of its task thread; the master only looks for it to change. Never blocks.
     */
    long lastHeartbeatEpochMs();

    /**
     * @return what the worker last said about the task it runs ({@link WorkerLoop}: a task's id while it runs an
     * isolated task, the id negated once that task's results are written, {@link TaskClock#INITIALIZING} while
     * its initializer runs), stamped with the worker's monotonic clock; {@link WorkStamp#NONE} if nothing is known.
     * Never blocks.
     */
    WorkStamp workStamp();

    /** @return true while the worker process runs. */
    boolean isAlive();

    /** Kills the worker process at once (SIGKILL) without waiting. Idempotent. */
    void killNow();

    /**
     * @return true when the worker's JVM writes a class-data archive at its exit: a close that would kill an idle
     *     worker lets this one exit by itself instead. Never blocks.
     */
    default boolean writesArchiveAtExit() {
        return false;
    }

    /**
     * Stops the worker, killing it if it is still alive after the grace period; returns once it is gone.
     *
     * @param grace time to stop by itself.
     */
    void terminate(Duration grace);

    /**
     * @return true when the dead worker's JVM ran its shutdown hooks while it ran tasks: a task called
     * {@code System.exit} (its exit code is then the task's, not an {@code OutOfMemoryError}'s). False while it
     * runs, or when the transport cannot tell. Never blocks beyond one file-system call.
     */
    default boolean systemExitCalled() {
        return false;
    }

    /** Frees what the channel holds for this worker (its inbox). Call after the worker exited. Idempotent. */
    void release();
}
