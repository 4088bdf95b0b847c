package dev.forklift.pool.internal;

import dev.forklift.process.ExitStatus;
import dev.forklift.process.WorkStamp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport that delays result frames: the first non-empty result frame is held back until {@link #release()},
 * as a slow network would, and so is the news that its worker finished the task (its work stamp); everything else
 * passes through. For fencing tests with real workers.
 */
public final class HoldingTransport extends ForwardingTransport {
    private final AtomicBoolean holding = new AtomicBoolean(true);
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicInteger held = new AtomicInteger();
    private volatile byte[] heldFrame;

    private HoldingTransport(final WorkerTransport delegate) {
        super(delegate);
    }

    /** Starts a pool whose first result frame is held back. */
    public static HoldingPool start(final dev.forklift.pool.PoolBuilder builder) {
        final PoolConfig config = builder.config();
        final HoldingTransport transport = new HoldingTransport(new SharedMemoryTransport(config));
        return new HoldingPool(PoolImpl.start(config, transport), transport);
    }

    /** @return true once a frame is held. */
    public boolean isHolding() {
        return heldFrame != null;
    }

    /** Lets the held frame through on the next poll. */
    public void release() {
        released.set(true);
    }

    /**
     * Starts the workers through the delegate; their channels report the work stamps as a slow network would
     * while this worker's frame is held: "task X done" has not arrived yet, so X still looks running.
     */
    @Override
    public List<WorkerChannel> startWorkers(final List<WorkerSpec> specs) {
        final List<WorkerChannel> channels = delegate.startWorkers(specs);
        final List<WorkerChannel> wrapped = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            wrapped.add(new HoldingChannel(channels.get(i), specs.get(i).workerId()));
        }
        return wrapped;
    }

    @Override
    public byte[] pollResult(final long timeoutMs) throws InterruptedException {
        if (released.get() && heldFrame != null) {
            final byte[] frame = heldFrame;
            heldFrame = null;
            return frame;
        }
        final byte[] frame = delegate.pollResult(timeoutMs);
        if (frame != null && holding.compareAndSet(true, false)) {
            heldFrame = frame;
            held.incrementAndGet();
            return null;
        }
        return frame;
    }

    /** A held frame is not read yet: nothing is read past while one is held. */
    @Override
    public boolean resultsReadPast(final long mark) {
        return heldFrame == null && delegate.resultsReadPast(mark);
    }

    /** A channel whose work stamp lags while a frame of its worker is held. */
    private final class HoldingChannel implements WorkerChannel {
        private final WorkerChannel channel;
        private final int workerId;

        HoldingChannel(final WorkerChannel channel, final int workerId) {
            this.channel = channel;
            this.workerId = workerId;
        }

        @Override
        public WorkStamp workStamp() {
            final WorkStamp stamp = channel.workStamp();
            final byte[] frame = heldFrame;
            if (frame != null && ResultFrames.workerId(frame) == workerId && stamp.unit() < 0
                && stamp.unit() != TaskClock.INITIALIZING) {
                return new WorkStamp(-stamp.unit(), stamp.nanoTime());
            }
            return stamp;
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
        public boolean send(final byte[] frame) throws InterruptedException {
            return channel.send(frame);
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

    /** A pool and its holding transport. */
    public record HoldingPool(dev.forklift.pool.Pool pool, HoldingTransport transport) {
    }
}
