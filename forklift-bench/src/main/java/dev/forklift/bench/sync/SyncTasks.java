package dev.forklift.bench.sync;

import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.shm.MappedFile;
import dev.forklift.sync.SharedBarrier;
import dev.forklift.sync.SharedEvent;
import dev.forklift.sync.SharedMap;
import dev.forklift.sync.SharedMutex;

import java.nio.file.Path;

/** The child tasks of the sync benchmark cases; each passes a start and an end barrier with the parent. */
final class SyncTasks {
    /** Operations each child runs before the start gate, so that the timed loop runs compiled code. */
    private static final int WARMUP = 200_000;

    private SyncTasks() {
    }

    /** Adds 1 to a plain long in a mapped file under the mutex, {@code count} times. */
    public static final class Adder implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final SharedMutex mutex = context.arg(0, SharedMutex.class);
            final SharedBarrier gate = context.arg(1, SharedBarrier.class);
            final long count = context.arg(3, Long.class);
            try (MappedFile counter = MappedFile.open(Path.of(context.arg(2, String.class)))) {
                for (int i = 0; i < WARMUP; i++) { // compiled before the clock starts
                    mutex.lock();
                    mutex.unlock();
                }
                gate.await();
                for (long i = 0; i < count; i++) {
                    mutex.lock();
                    try {
                        counter.buffer().putLong(0, counter.buffer().getLong(0) + 1);
                    } finally {
                        mutex.unlock();
                    }
                }
                gate.await();
            }
        }
    }

    /** Passes the two-party barrier {@code count} times. */
    public static final class Party implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final SharedBarrier rounds = context.arg(0, SharedBarrier.class);
            final SharedBarrier gate = context.arg(1, SharedBarrier.class);
            final long count = context.arg(2, Long.class);
            for (int i = 0; i < WARMUP / 10; i++) { // both parties, the same number of rounds
                rounds.await();
            }
            gate.await();
            for (long i = 0; i < count; i++) {
                rounds.await();
            }
            gate.await();
        }
    }

    /** Answers each ping with a pong, {@code count} times. */
    public static final class Echo implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final SharedEvent ping = context.arg(0, SharedEvent.class);
            final SharedEvent pong = context.arg(1, SharedEvent.class);
            final long count = context.arg(2, Long.class);
            for (long i = 0; i < count; i++) {
                ping.await();
                ping.clear();
                pong.set();
            }
        }
    }

    /** Sets then gets keys {@code k<worker>-<i mod 1000>}, {@code count} times. */
    public static final class MapWorker implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final SharedMap<String, Long> map = context.arg(0, SharedMap.class);
            final SharedBarrier gate = context.arg(1, SharedBarrier.class);
            final int worker = context.arg(2, Integer.class);
            final long count = context.arg(3, Long.class);
            final String[] keys = new String[1000];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = "k" + worker + "-" + i;
            }
            for (int i = 0; i < WARMUP; i++) {
                map.put(keys[i % keys.length], (long) i);
                map.get(keys[i % keys.length]);
            }
            gate.await();
            for (long i = 0; i < count; i++) {
                final String key = keys[(int) (i % keys.length)];
                map.put(key, i);
                if (map.get(key) == null) {
                    throw new IllegalStateException("lost " + key);
                }
            }
            gate.await();
        }
    }
}
