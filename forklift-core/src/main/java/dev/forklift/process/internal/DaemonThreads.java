package dev.forklift.process.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The daemon threads of Forklift's own machinery (a pool's dispatcher and collector, a child's control reader, a
 * control connection's hello, a warm lease), kept for a while between uses instead of made for each.
 *
 * <p>Why: starting a thread blocks its starter until the new thread has run, which on a small, busy machine waits
 * for a CPU: 0.3-0.6 ms each on an idle two-vCPU guest and 2-5 ms with both CPUs busy, as they are while a pool's
 * workers start. A pool with warm workers started nine threads between {@code build()} and its first result. A
 * thread kept here is handed its next body without that wait; a body that runs for the life of a pool or a child
 * holds its thread that long, and the thread comes back when the body returns.
 *
 * <p>While it runs a body, a thread has the body's name and the context class loader of the thread that started
 * it (as a new thread would inherit); between bodies it is named {@value #IDLE_NAME}. A thread idle for
 * {@value #KEEP_ALIVE_MS} ms ends. A body that throws is reported to the thread's uncaught-exception handler under
 * the body's name, as a thread of its own would be, and the thread is kept.
 *
 * <p>Thread-safe; callable from any thread of any Forklift process. {@link #start} never blocks. Internal; not API.
 */
public final class DaemonThreads {
    /** How long a thread waits for its next body before it ends. */
    static final long KEEP_ALIVE_MS = 60_000;
    /** The name of a thread between bodies. */
    static final String IDLE_NAME = "forklift-idle";
    private static final ThreadPoolExecutor THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_MS,
        TimeUnit.MILLISECONDS, new SynchronousQueue<>(), DaemonThreads::newThread);

    private DaemonThreads() {
    }

    private static Thread newThread(final Runnable runnable) {
        final Thread thread = new Thread(runnable, IDLE_NAME);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Runs a body on a kept thread, or on a new one when none is idle.
     *
     * @param name the thread's name while it runs the body.
     * @param body what to run.
     * @return the running body: to interrupt it and wait for its end.
     */
    public static Body start(final String name, final Runnable body) {
        final Body started = new Body(name, body, Thread.currentThread().getContextClassLoader());
        THREADS.execute(started::run);
        return started;
    }

    /**
     * Starts threads now, off the path that will use them, and keeps at least {@code count} for good: a warm worker
     * does while spare, so that its start once leased (the parent's watch, the worker's own threads) takes threads
     * already there however long it waited for its lease.
     *
     * @param count how many threads to keep.
     */
    public static synchronized void prestart(final int count) {
        if (THREADS.getCorePoolSize() < count) {
            THREADS.setCorePoolSize(count);
        }
        THREADS.prestartAllCoreThreads();
    }

    /** @return the number of threads kept or running bodies now (for tests). */
    static int threads() {
        return THREADS.getPoolSize();
    }

    /**
     * A body started by {@link #start}: the handle its starter keeps instead of a {@link Thread}. Thread-safe.
     */
    public static final class Body {
        private final String name;
        private final Runnable body;
        private final ClassLoader loader;
        private final CountDownLatch done = new CountDownLatch(1);
        /** Guarded by this: the thread running the body, null before and after. */
        private Thread runner;
        /** Guarded by this: an interrupt asked while no thread ran the body (read only as it starts). */
        private boolean interruptAsked;

        private Body(final String name, final Runnable body, final ClassLoader loader) {
            this.name = name;
            this.body = body;
            this.loader = loader;
        }

        private void run() {
            final Thread thread = Thread.currentThread();
            thread.setName(name);
            thread.setContextClassLoader(loader);
            synchronized (this) {
                runner = thread;
                if (interruptAsked) {
                    thread.interrupt();
                }
            }
            try {
                body.run();
            } catch (final Throwable thrown) {
                thread.getUncaughtExceptionHandler().uncaughtException(thread, thrown);
            } finally {
                synchronized (this) {
                    runner = null;
                }
                Thread.interrupted(); // an interrupt meant for this body is not the next one's
                thread.setName(IDLE_NAME);
                thread.setContextClassLoader(null);
                done.countDown();
            }
        }

        /** Interrupts the body: now if it runs, as it starts if it has not yet, not at all once it returned. */
        public synchronized void interrupt() {
            if (runner != null) {
                runner.interrupt();
            } else {
                interruptAsked = true; // read as the body starts; after its end, by nobody
            }
        }

        /** @return true when called from the thread that runs this body. */
        public synchronized boolean isCurrentThread() {
            return runner == Thread.currentThread();
        }

        /**
         * Waits for the body to return; returns at once on the body's own thread.
         *
         * @param timeoutMs the longest wait.
         * @return true once the body returned, false when the wait ran out (or was interrupted: the flag is set).
         */
        public boolean join(final long timeoutMs) {
            if (isCurrentThread()) {
                return false;
            }
            try {
                return done.await(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** @return true once the body returned. */
        public boolean isDone() {
            return done.getCount() == 0;
        }
    }
}
