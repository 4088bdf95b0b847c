package dev.forklift.sync;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.Codecs;
import dev.forklift.codec.ObjectCodec;
import dev.forklift.queue.Queue;
import dev.forklift.queue.WaitStrategy;

/**
 * A duplex one-to-one connection between two processes: Python's {@code multiprocessing.Pipe()}. It has two ends,
 * {@link #left()} and {@link #right()}; what one end sends, the other receives, in order. Keep one end and pass the
 * other to a child as an argument ({@code .args(pipe.right())}); it arrives attached.
 *
 * <pre>{@code
 * try (Pipe pipe = Pipe.create("jobs")) {
 *     ChildProcess.builder(Worker.class).args(pipe.right()).start();   // the child: context.arg(0, PipeConnection.class)
 *     pipe.left().send(new Job(...));
 *     Result r = (Result) pipe.left().receive();
 * }
 * }</pre>
 *
 * <p>Built on two shared-memory queues, one per direction (so a pipe has their guarantees: bounded, a dead
 * sender or receiver never wedges the other side, an idle receiver costs almost no CPU). Objects travel through
 * the queue's codec: fast paths for {@code byte[]}, strings and boxes, the allow-listed object codec for the rest
 * ({@link #create(String, int, int, Class[])}). One sender and one receiver per end is the intended use; more
 * threads on one end are safe, but share its order.
 *
 * <p>The creating process owns both queues: {@link #close()} ends both directions and deletes their files
 * (processes that attached keep their mapping and drain what is left). Thread-safe.
 */
public final class Pipe implements AutoCloseable {
    /** Messages a direction holds before {@code send} waits. */
    public static final int DEFAULT_CAPACITY = 64;
    /** Largest message, encoded: 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

    private final Queue<Object> leftToRight;
    private final Queue<Object> rightToLeft;
    private final PipeConnection left;
    private final PipeConnection right;

    private Pipe(final Queue<Object> leftToRight, final Queue<Object> rightToLeft) {
        this.leftToRight = leftToRight;
        this.rightToLeft = rightToLeft;
        this.left = new PipeConnection(rightToLeft, leftToRight);
        this.right = new PipeConnection(leftToRight, rightToLeft);
    }

    /**
     * @param name a name for diagnostics and the queues' file names.
     * @return a new pipe with the default capacity and message size, owned by this process.
     */
    public static Pipe create(final String name) {
        return create(name, DEFAULT_CAPACITY, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * @param name            a name for diagnostics and the queues' file names.
     * @param capacity        messages each direction holds before {@code send} waits; 1 to 16,777,216.
     * @param maxMessageBytes the largest encoded message, 1 byte to 64 MiB.
     * @param allowed         classes the object codec may carry besides the JDK's value types and collections.
     * @return a new pipe, owned by this process.
     * @throws IllegalArgumentException if a value is out of range (the message names it).
     */
    public static Pipe create(final String name, final int capacity, final int maxMessageBytes,
        final Class<?>... allowed) {
        final AllowList allowList = AllowList.defaults().allow(allowed);
        final Queue<Object> ab = Queue.builder(Object.class).name(name + "-lr").capacity(capacity)
            .maxMessageBytes(maxMessageBytes).waitStrategy(WaitStrategy.defaultStrategy())
            .codec(Codecs.forType(Object.class, allowList, ObjectCodec.defaultMaxDepth())).build();
        try {
            final Queue<Object> ba = Queue.builder(Object.class).name(name + "-rl").capacity(capacity)
                .maxMessageBytes(maxMessageBytes).waitStrategy(WaitStrategy.defaultStrategy())
                .codec(Codecs.forType(Object.class, allowList, ObjectCodec.defaultMaxDepth())).build();
            return new Pipe(ab, ba);
        } catch (final RuntimeException ex) {
            ab.close();
            throw ex;
        }
    }

    /** @return the left end: it sends to the right end and receives from it. */
    public PipeConnection left() {
        return left;
    }

    /** @return the right end, typically passed to a child. */
    public PipeConnection right() {
        return right;
    }

    /** Ends both directions and deletes the queues' files. Idempotent; never blocks. */
    @Override
    public void close() {
        leftToRight.close();
        rightToLeft.close();
    }
}
