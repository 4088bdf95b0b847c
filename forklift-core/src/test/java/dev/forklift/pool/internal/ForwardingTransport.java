package dev.forklift.pool.internal;

import java.util.List;

/**
 * A transport that passes every call to another: test transports extend it and override only what they change
 * (the channels they hand out, the frames they let through). Used from the pool's threads, as any transport.
 */
abstract class ForwardingTransport implements WorkerTransport {
    /** The transport every call not overridden goes to. */
    protected final WorkerTransport delegate;

    ForwardingTransport(final WorkerTransport delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<WorkerChannel> startWorkers(final List<WorkerSpec> specs) {
        return delegate.startWorkers(specs);
    }

    @Override
    public byte[] pollResult(final long timeoutMs) throws InterruptedException {
        return delegate.pollResult(timeoutMs);
    }

    @Override
    public long resultsMark() {
        return delegate.resultsMark();
    }

    @Override
    public boolean resultsReadPast(final long mark) {
        return delegate.resultsReadPast(mark);
    }

    @Override
    public void repairAfterDeath(final long pid) {
        delegate.repairAfterDeath(pid);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
