package dev.forklift.pool.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport that delays result frames: the first non-empty result frame is held back until {@link #release()},
 * as a slow network would; everything else passes through. For fencing tests with real workers.
 */
public final class HoldingTransport implements WorkerTransport {
    private final WorkerTransport delegate;
    private final AtomicBoolean holding = new AtomicBoolean(true);
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicInteger held = new AtomicInteger();
    private volatile byte[] heldFrame;

    private HoldingTransport(final WorkerTransport delegate) {
        this.delegate = delegate;
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

    @Override
    public List<WorkerChannel> startWorkers(final List<WorkerSpec> specs) {
        return delegate.startWorkers(specs);
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

    @Override
    public long resultsMark() {
        return delegate.resultsMark();
    }

    /** A held frame is not read yet: nothing is read past while one is held. */
    @Override
    public boolean resultsReadPast(final long mark) {
        return heldFrame == null && delegate.resultsReadPast(mark);
    }

    @Override
    public void repairAfterDeath(final long pid) {
        delegate.repairAfterDeath(pid);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** A pool and its holding transport. */
    public record HoldingPool(dev.forklift.pool.Pool pool, HoldingTransport transport) {
    }
}
