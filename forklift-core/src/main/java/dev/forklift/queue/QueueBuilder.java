package dev.forklift.queue;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.Codec;
import dev.forklift.codec.Codecs;
import dev.forklift.codec.ObjectCodec;
import dev.forklift.queue.internal.QueueDescriptor;
import dev.forklift.queue.internal.QueueTimeouts;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.SharedMemoryDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures and creates a {@link Queue}. Setters are fluent, have no {@code set} prefix, and validate at once;
 * {@link #build()} creates the shared-memory file. Not thread-safe; use one builder per queue.
 *
 * @param <T> the type of the items.
 */
public final class QueueBuilder<T> {
    /** Default capacity in items. */
    public static final int DEFAULT_CAPACITY = 1024;
    /** Default largest encoded item: 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

    private final Class<T> type;
    private String name = "queue";
    private int capacity = DEFAULT_CAPACITY;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private AllowList allowList = AllowList.defaults();
    private Codec<T> codec;
    private int maxObjectDepth;
    private WaitStrategy waitStrategy = WaitStrategy.defaultStrategy();
    private Path directoryBase;
    private boolean reserveMemory;
    private Duration repairAfter = Duration.ofNanos(QueueTimeouts.DEFAULT_REPAIR_AFTER_NS);
    private Duration stallTimeout = Duration.ZERO;
    private String brokerUrl;

    QueueBuilder(final Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * @param name a name for diagnostics and the file name; letters, digits, '-' and '_' are kept.
     * @return this builder.
     */
    public QueueBuilder<T> name(final String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("queue name must not be blank: name=" + name);
        }
        this.name = name;
        return this;
    }

    /**
     * @param capacity the greatest number of items held at once, 1 to 16,777,216; rounded up to a power of two, at least 2.
     * @return this builder.
     */
    public QueueBuilder<T> capacity(final int capacity) {
        if (capacity < 1 || capacity > QueueDescriptor.MAX_SLOT_COUNT) {
            throw new IllegalArgumentException("queue capacity must be in 1.." + QueueDescriptor.MAX_SLOT_COUNT
                + ": capacity=" + capacity);
        }
        this.capacity = capacity;
        return this;
    }

    /**
     * @param maxMessageBytes the largest encoded item, 1 byte to 64 MiB. Each slot reserves this much address
     *                        space; only the pages written use memory.
     * @return this builder.
     */
    public QueueBuilder<T> maxMessageBytes(final int maxMessageBytes) {
        if (maxMessageBytes < 1 || maxMessageBytes > QueueDescriptor.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be in 1.." + QueueDescriptor.MAX_MESSAGE_BYTES
                + ": maxMessageBytes=" + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
        return this;
    }

    /**
     * @param classes classes the default object codec may carry, besides the item type and the JDK defaults.
     * @return this builder.
     */
    public QueueBuilder<T> allow(final Class<?>... classes) {
        this.allowList = allowList.allow(classes);
        return this;
    }

    /**
     * @param allowList the complete allow-list for the default object codec.
     * @return this builder.
     */
    public QueueBuilder<T> allowList(final AllowList allowList) {
        this.allowList = Objects.requireNonNull(allowList, "allowList");
        return this;
    }

    /**
     * @param maxObjectDepth the deepest object an item may hold when it travels through the default object codec
     *                       (see {@link dev.forklift.codec.ObjectCodec}), 1 to
     *                       {@value dev.forklift.codec.ObjectCodec#MAX_MAX_DEPTH}; default
     *                       {@value dev.forklift.codec.ObjectCodec#DEFAULT_MAX_DEPTH}, or the system property
     *                       {@value dev.forklift.codec.ObjectCodec#MAX_DEPTH_PROPERTY} of the building process. Checked
     *                       when an item is put (a deeper one is refused there, nothing is lost) and again when it is
     *                       taken, in every process, with the same value. Not used with {@link #codec}.
     * @return this builder.
     * @throws IllegalArgumentException if out of range.
     */
    public QueueBuilder<T> maxObjectDepth(final int maxObjectDepth) {
        this.maxObjectDepth = ObjectCodec.checkMaxDepth(maxObjectDepth);
        return this;
    }

    /**
     * @param codec a codec to use instead of the default for the item type; it must be serializable.
     * @return this builder.
     */
    public QueueBuilder<T> codec(final Codec<T> codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /**
     * @param waitStrategy how waiting threads wait, in every process that uses the queue.
     * @return this builder.
     */
    public QueueBuilder<T> waitStrategy(final WaitStrategy waitStrategy) {
        this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
        return this;
    }

    /**
     * @param base the folder under which the per-user shared-memory directory is made (default: see
     *             {@link SharedMemoryDirectory}).
     * @return this builder.
     */
    public QueueBuilder<T> directoryBase(final Path base) {
        this.directoryBase = Objects.requireNonNull(base, "base");
        return this;
    }

    /**
     * @param repairAfter how long a process sees the slot it waits on held (claimed, not yet published or
     *                    released), across all its calls that find the queue empty or full (also those with no
     *                    timeout), before it checks whether the process holding that slot died, and if so repairs
     *                    it together with the rest of that process's run (a producer that died between claiming
     *                    and publishing: the slot is skipped as torn; a consumer that died while reading: the slot
     *                    is freed, its item lost with it). A slot whose holder died before writing its pid is
     *                    repaired after twice this time. Default 2 s; {@link Duration#ZERO} disables repair.
     * @return this builder.
     */
    public QueueBuilder<T> repairAfter(final Duration repairAfter) {
        if (repairAfter.isNegative()) {
            throw new IllegalArgumentException("repairAfter must not be negative: repairAfter=" + repairAfter);
        }
        this.repairAfter = repairAfter;
        return this;
    }

    /**
     * @param stallTimeout how long a producer waits on a full queue while no consumer takes anything before it
     *                     fails with {@link QueueStalledException} (consumers stopped, hung or gone). Default
     *                     {@link Duration#ZERO}: wait for ever, like any blocking queue.
     * @return this builder.
     */
    public QueueBuilder<T> stallTimeout(final Duration stallTimeout) {
        if (stallTimeout.isNegative()) {
            throw new IllegalArgumentException("stallTimeout must not be negative: stallTimeout=" + stallTimeout);
        }
        this.stallTimeout = stallTimeout;
        return this;
    }

    /**
     * Takes the queue's whole memory when it is made, instead of page by page as slots are first written. Off by
     * default, so that a large queue that is never full costs little. Turn it on where {@code /dev/shm} is small or
     * shared (a container's 64 MiB, many queues at once): a queue that would not fit then fails in {@link #build()}
     * with a clear error, and no later write can find the file system full (which the JVM reports as an
     * {@code InternalError} at the write).
     *
     * @param reserveMemory true to reserve at creation.
     * @return this builder.
     */
    public QueueBuilder<T> reserveMemory(final boolean reserveMemory) {
        this.reserveMemory = reserveMemory;
        return this;
    }

    /**
     * Carries the queue over a message broker instead of shared memory, so that producers and consumers may live
     * on different machines: found through {@link dev.forklift.queue.spi.BrokerQueueFactory} in the module
     * {@code forklift-cluster}, which must be on the class path. Every process opening the same {@link #name}
     * on the same broker shares the queue.
     *
     * @param url the broker's URL, such as {@code tcp://host:61616}.
     * @return this builder.
     */
    public QueueBuilder<T> broker(final String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("broker URL must not be blank: broker=" + url);
        }
        this.brokerUrl = url;
        return this;
    }

    /**
     * Creates the queue's shared-memory file and returns the queue, owned by this process.
     *
     * @return the new queue.
     * @throws IllegalArgumentException if capacity times slot size exceeds the 1 GiB limit of one queue.
     * @throws dev.forklift.ForkliftException if the file cannot be made.
     */
    public Queue<T> build() {
        if (brokerUrl != null) {
            return dev.forklift.queue.spi.BrokerQueueFactory.find().open(brokerUrl, name, type,
                codec != null ? codec : Codecs.forType(type, allowList,
                    maxObjectDepth > 0 ? maxObjectDepth : ObjectCodec.defaultMaxDepth()), capacity, maxMessageBytes);
        }
        final int slotCount = QueueDescriptor.slotCountFor(capacity);
        final int slotStride = QueueDescriptor.slotStride(maxMessageBytes);
        final long lengthBytes = QueueDescriptor.fileLength(slotCount, slotStride);
        if (lengthBytes > MappedFile.MAX_LENGTH_BYTES) {
            throw new IllegalArgumentException("queue too large: capacity=" + capacity + " (" + slotCount
                + " slots) x maxMessageBytes=" + maxMessageBytes + " needs " + lengthBytes + " bytes, more than "
                + MappedFile.MAX_LENGTH_BYTES);
        }
        final SharedMemoryDirectory directory = directoryBase == null
            ? SharedMemoryDirectory.current() : SharedMemoryDirectory.of(directoryBase);
        final Codec<T> chosen = codec != null ? codec : Codecs.forType(type, allowList,
            maxObjectDepth > 0 ? maxObjectDepth : ObjectCodec.defaultMaxDepth());
        return SharedQueue.create(directory, name, slotCount, maxMessageBytes, chosen, waitStrategy,
            new QueueTimeouts(repairAfter.toNanos(), stallTimeout.toNanos()), reserveMemory, type);
    }
}
