package dev.forklift.pool.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Launches a pool's first cold workers at most a few at a time: a JVM's boot is CPU-bound, and on a small machine
 * the parent and every booting worker share the cores, so the first worker (which alone gives the first result)
 * booted as slowly as all of them together. At most {@link #bootLimit} workers are launched at once; each further
 * one is launched when one of those reports ready or fails to start, so that every worker of the pool still starts,
 * one boot after the other, whether work is queued or not.
 *
 * <p>Called on the thread that builds a pool ({@link #start}); the later launches run on the given executor (the
 * pool's spawner thread). Never blocks. Cancelling a future of a worker not launched yet keeps it from being
 * launched; cancelling one launched cancels its transport's start (its JVM is killed). Internal; not API.
 */
final class StaggeredStart {
    /** System property of a parent: {@code false} launches every first worker at once, as before. */
    static final String ENABLED_PROPERTY = "forklift.pool.staggerStart";
    /** System property of a parent: how many workers may boot at once (default: processors - 1, at least 1). */
    static final String BOOTS_PROPERTY = "forklift.pool.staggerStart.boots";

    /** A worker whose launch waits for a boot to end: its spec, and the future the pool was given for it. */
    private record Waiting(WorkerTransport.WorkerSpec spec, CompletableFuture<WorkerChannel> start) {
    }

    private final Function<List<WorkerTransport.WorkerSpec>, List<CompletableFuture<WorkerChannel>>> launch;
    private final Executor executor;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();

    private StaggeredStart(
        final Function<List<WorkerTransport.WorkerSpec>, List<CompletableFuture<WorkerChannel>>> launch,
        final Executor executor) {
        this.launch = launch;
        this.executor = executor;
    }

    /**
     * @param workers how many workers the pool starts.
     * @param warm    true when its workers are leased from a warm host (nothing boots: no limit).
     * @return how many of them may boot at once: all when turned off ({@value #ENABLED_PROPERTY}{@code =false}) or
     *         leased; else {@value #BOOTS_PROPERTY} if set, else the processors less one (the parent's), at least 1.
     * @throws IllegalArgumentException if {@value #BOOTS_PROPERTY} is set to anything but a positive number.
     */
    static int bootLimit(final int workers, final boolean warm) {
        if (warm || "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"))) {
            return Math.max(workers, 0);
        }
        final String boots = System.getProperty(BOOTS_PROPERTY);
        final int limit;
        if (boots != null) {
            try {
                limit = Integer.parseInt(boots.trim());
            } catch (final NumberFormatException ex) {
                throw new IllegalArgumentException(BOOTS_PROPERTY + " must be a positive number: " + boots, ex);
            }
            if (limit < 1) {
                throw new IllegalArgumentException(BOOTS_PROPERTY + " must be a positive number: " + boots);
            }
        } else {
            limit = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        }
        return Math.max(0, Math.min(workers, limit));
    }

    /**
     * Launches the first {@code limit} workers now, on this thread, and each other one when a boot ends.
     *
     * @param specs    the workers, in order.
     * @param limit    how many may boot at once, at least 1.
     * @param launch   starts workers and returns one future per spec ({@link WorkerTransport#startWorkersEach}).
     * @param executor runs the later launches (never the thread that completes a start).
     * @return one future per spec, in order; those of workers not launched yet complete once they are started.
     * @throws RuntimeException what the first launch throws (nothing is left running).
     */
    static List<CompletableFuture<WorkerChannel>> start(final List<WorkerTransport.WorkerSpec> specs, final int limit,
        final Function<List<WorkerTransport.WorkerSpec>, List<CompletableFuture<WorkerChannel>>> launch,
        final Executor executor) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        if (specs.size() <= limit) {
            return launch.apply(specs);
        }
        final StaggeredStart staggered = new StaggeredStart(launch, executor);
        final List<CompletableFuture<WorkerChannel>> starts = new ArrayList<>(launch.apply(specs.subList(0, limit)));
        for (final WorkerTransport.WorkerSpec spec : specs.subList(limit, specs.size())) {
            final Waiting next = new Waiting(spec, new CompletableFuture<>());
            staggered.waiting.add(next);
            starts.add(next.start());
        }
        for (final CompletableFuture<WorkerChannel> booting : starts.subList(0, limit)) {
            staggered.launchNextWhenDone(booting);
        }
        return starts;
    }

    /** When {@code booting} completes (ready, failed or cancelled), launches the next waiting worker. */
    private void launchNextWhenDone(final CompletableFuture<WorkerChannel> booting) {
        booting.whenComplete((channel, failure) -> {
            try {
                executor.execute(this::launchNext);
            } catch (final RejectedExecutionException ex) {
                cancelWaiting(); // the pool is stopping
            }
        });
    }

    /** Launches the next waiting worker not cancelled meanwhile; one whose launch fails makes way for the next. */
    private void launchNext() {
        Waiting next;
        while ((next = waiting.poll()) != null) {
            if (next.start().isDone()) {
                continue; // cancelled: the pool stopped or failed its build
            }
            final CompletableFuture<WorkerChannel> launched;
            try {
                launched = launch.apply(List.of(next.spec())).get(0);
            } catch (final RuntimeException ex) {
                next.start().completeExceptionally(ex);
                continue;
            }
            link(launched, next.start());
            launchNextWhenDone(launched);
            return;
        }
    }

    /** The pool's future follows the transport's; cancelling the pool's cancels the transport's (its JVM killed). */
    private static void link(final CompletableFuture<WorkerChannel> launched,
        final CompletableFuture<WorkerChannel> start) {
        launched.whenComplete((channel, failure) -> {
            if (failure != null) {
                start.completeExceptionally(failure);
            } else if (!start.complete(channel)) {
                channel.killNow(); // cancelled meanwhile
                channel.onExit().whenComplete((status, ignored) -> channel.release());
            }
        });
        start.whenComplete((channel, failure) -> {
            if (start.isCancelled()) {
                launched.cancel(true);
            }
        });
    }

    private void cancelWaiting() {
        Waiting next;
        while ((next = waiting.poll()) != null) {
            next.start().cancel(true);
        }
    }
}
