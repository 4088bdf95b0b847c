package dev.forklift.sync;

import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.shm.MappedFile;

import java.nio.file.Path;

/** The child tasks of the cross-process tests of the robust primitives. */
final class SyncTasks {
    private SyncTasks() {
    }

    /** Adds 1 to the plain long at offset 0 of a mapped file, {@code count} times, each under the lock. */
    public static final class AddUnderLock implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final SharedLock lock = context.arg(0, SharedLock.class);
            final long count = context.arg(2, Long.class);
            try (MappedFile counter = MappedFile.open(Path.of(context.arg(1, String.class)))) {
                for (long i = 0; i < count; i++) {
                    lock.lock();
                    try {
                        counter.buffer().putLong(0, counter.buffer().getLong(0) + 1);
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /** Opens a mutex by its name, takes it (arg 1 times for a reentrant lock), sets the event and waits to be killed. */
    public static final class HoldByName implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final String kind = context.arg(0, String.class);
            final String name = context.arg(1, String.class);
            final int times = context.arg(2, Integer.class);
            final SharedEvent holding = context.arg(3, SharedEvent.class);
            final SharedLock lock = "mutex".equals(kind) ? SharedMutex.open(name) : SharedReentrantLock.open(name);
            for (int i = 0; i < times; i++) {
                lock.lock();
            }
            holding.set();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Acquires one permit, sets the event and waits to be killed. */
    public static final class HoldPermit implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final SharedSemaphore semaphore = context.arg(0, SharedSemaphore.class);
            final SharedEvent holding = context.arg(1, SharedEvent.class);
            semaphore.acquire();
            holding.set();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Answers each ping with a pong (clears ping, sets pong), {@code rounds} times; exits 3 if a ping never came. */
    public static final class EchoEvents implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final SharedEvent ping = context.arg(0, SharedEvent.class);
            final SharedEvent pong = context.arg(1, SharedEvent.class);
            final int rounds = context.arg(2, Integer.class);
            for (int i = 0; i < rounds; i++) {
                if (!ping.await(java.time.Duration.ofSeconds(10))) {
                    System.exit(3);
                }
                ping.clear();
                pong.set();
            }
        }
    }

    /** Acquires permits of two semaphores and returns without releasing them: a normal exit holding permits. */
    public static final class AcquireAndExit implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final int permits = context.arg(2, Integer.class);
            context.arg(0, SharedSemaphore.class).acquire(permits);
            context.arg(1, SharedSemaphore.class).acquire(permits);
        }
    }

    /** Acquires and releases permits for ever (it is expected to halt at its fault point). */
    public static final class ChurnPermits implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final SharedSemaphore semaphore = context.arg(0, SharedSemaphore.class);
            while (true) {
                semaphore.acquire();
                semaphore.release();
            }
        }
    }

    /** Waits on the condition once (holding its lock), then sets the event. */
    public static final class AwaitCondition implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final SharedCondition condition = context.arg(0, SharedCondition.class);
            final SharedEvent woke = context.arg(1, SharedEvent.class);
            condition.lock().lock();
            try {
                condition.await();
            } finally {
                condition.lock().unlock();
            }
            woke.set();
        }
    }

    /** Awaits the barrier once. */
    public static final class AwaitBarrier implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            context.arg(0, SharedBarrier.class).await();
        }
    }
}
