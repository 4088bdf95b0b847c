package dev.forklift.pool.internal;

import dev.forklift.process.ExitStatus;
import dev.forklift.process.WorkStamp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A transport whose channels throw when they are asked to send certain task frames, as a transport of its own
 * (a broker, say) might: the rule sees each frame and returns what to throw, or null to send it. Everything else
 * passes through to the shared-memory transport. For tests of the pool's dispatcher with real workers.
 */
public final class FaultyTransport extends ForwardingTransport {
    private final Function<byte[], Throwable> rule;

    private FaultyTransport(final WorkerTransport delegate, final Function<byte[], Throwable> rule) {
        super(delegate);
        this.rule = rule;
    }

    /**
     * @param builder the pool's settings.
     * @param rule    for each task frame sent, what to throw instead of sending it, or null to send it.
     * @return a pool whose channels follow the rule.
     */
    public static dev.forklift.pool.Pool start(final dev.forklift.pool.PoolBuilder builder,
        final Function<byte[], Throwable> rule) {
        final PoolConfig config = builder.config();
        return PoolImpl.start(config, new FaultyTransport(new SharedMemoryTransport(config), rule));
    }

    /**
     * @param frame  a task frame.
     * @param needle bytes to look for.
     * @return true when the frame holds the bytes.
     */
    public static boolean contains(final byte[] frame, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= frame.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (frame[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public List<WorkerChannel> startWorkers(final List<WorkerSpec> specs) {
        final List<WorkerChannel> channels = new ArrayList<>();
        for (final WorkerChannel channel : delegate.startWorkers(specs)) {
            channels.add(new FaultyChannel(channel));
        }
        return channels;
    }

    private final class FaultyChannel implements WorkerChannel {
        private final WorkerChannel channel;

        FaultyChannel(final WorkerChannel channel) {
            this.channel = channel;
        }

        @Override
        public boolean send(final byte[] frame) throws InterruptedException {
            final Throwable thrown = rule.apply(frame);
            if (thrown instanceof RuntimeException) {
                throw (RuntimeException) thrown;
            }
            if (thrown instanceof Error) {
                throw (Error) thrown;
            }
            return channel.send(frame);
        }

        @Override
        public String name() {
            return channel.name();
        }

        @Override
        public long pid() {
            return channel.pid();
        }

        @Override
        public void finish() {
            channel.finish();
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return channel.onExit();
        }

        @Override
        public long lastHeartbeatEpochMs() {
            return channel.lastHeartbeatEpochMs();
        }

        @Override
        public WorkStamp workStamp() {
            return channel.workStamp();
        }

        @Override
        public boolean isAlive() {
            return channel.isAlive();
        }

        @Override
        public void killNow() {
            channel.killNow();
        }

        @Override
        public void terminate(final Duration grace) {
            channel.terminate(grace);
        }

        @Override
        public void release() {
            channel.release();
        }
    }
}
