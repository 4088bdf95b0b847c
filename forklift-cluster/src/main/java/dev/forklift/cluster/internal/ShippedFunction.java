package dev.forklift.cluster.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.Codecs;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.pool.internal.ElementCodec;
import dev.forklift.pool.internal.ErrorCodec;
import dev.forklift.pool.internal.Serialized;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a worker host hands its local pool for every task of one caller function: the caller's serialized function,
 * decoded lazily in the local worker JVM (so the host itself needs none of the caller's classes, only its workers'
 * class path does), applied to each input of a task body, each outcome encoded for the caller. The local pool
 * sends this object to each of its workers once, so the function crosses the broker once per pool and each local
 * pipe once per worker.
 *
 * <p>Task body: {@code [int count][count elements]} ({@link ElementCodec}), or the packed layout of
 * {@link PackedValues} (a negative count) for a chunk of ints, longs, doubles or strings. Result body:
 * {@code [long workerPid][byte status]}, then for status 0 each input's {@code [byte 0][element]} or
 * {@code [byte 1][int length][error]} ({@link ErrorCodec}), for status 1 (a class missing here) a UTF-8 message
 * naming the host and the class, for status 2 (every input succeeded, results of one packable type) the packed
 * results. Runs in a local worker JVM; one instance per caller function per host.
 */
public final class ShippedFunction implements SerializableFunction<byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    /** Result status: the outcomes follow. */
    public static final byte STATUS_OUTCOMES = 0;
    /** Result status: a class of the task cannot be loaded here. */
    public static final byte STATUS_MISSING_CLASS = 1;
    /** Result status: every input succeeded and the results follow packed ({@link PackedValues}). */
    public static final byte STATUS_PACKED = 2;

    private final String hostName;
    private final byte[] functionBytes;
    private final byte[] allowListBytes;
    private final int maxObjectDepth;
    private transient SerializableFunction<Object, Object> function;
    private transient ElementCodec codec;

    /**
     * @param hostName       the worker host, named in errors.
     * @param functionBytes  the serialized function.
     * @param allowListBytes the serialized {@link AllowList} of the caller's pool.
     * @param maxObjectDepth the caller's object depth limit.
     */
    public ShippedFunction(final String hostName, final byte[] functionBytes, final byte[] allowListBytes,
        final int maxObjectDepth) {
        this.hostName = hostName;
        this.functionBytes = functionBytes;
        this.allowListBytes = allowListBytes;
        this.maxObjectDepth = maxObjectDepth;
    }

    @Override
    public byte[] apply(final byte[] task) {
        final long pid = ProcessHandle.current().pid();
        final Bytes out = new Bytes(Math.max(256, task.length + 64));
        out.put(b -> b.putLong(pid));
        try {
            load();
        } catch (final ClassNotFoundException | NoClassDefFoundError ex) {
            return missing(out, ex);
        } catch (final IOException | RuntimeException ex) {
            return missing(out, ex);
        }
        final ByteBuffer in = ByteBuffer.wrap(task);
        final int first = in.getInt();
        final boolean packedInputs = first < 0;
        final int count = packedInputs ? -first : first;
        final Object[] inputs = packedInputs ? PackedValues.unpack(count, in) : null;
        final Object[] results = new Object[count];
        Throwable[] errors = null;
        for (int i = 0; i < count; i++) {
            Throwable error = null;
            try {
                results[i] = function.apply(packedInputs ? inputs[i] : codec.read(in));
            } catch (final Throwable thrown) {
                error = thrown;
            }
            if (error != null) {
                final String missingClass = missingClass(error);
                if (missingClass != null) {
                    // a class of the task (not of one input) is absent here: fail the task once, never retried
                    return missing(new Bytes(64).put(b -> b.putLong(pid)), new ClassNotFoundException(missingClass));
                }
                if (errors == null) {
                    errors = new Throwable[count];
                }
                errors[i] = error;
                results[i] = null;
            }
        }
        if (errors == null) {
            final byte[] packed = PackedValues.pack(results);
            if (packed != null) {
                return ByteBuffer.allocate(Long.BYTES + 1 + packed.length).putLong(pid).put(STATUS_PACKED).put(packed)
                    .array();
            }
        }
        out.put(b -> b.put(STATUS_OUTCOMES));
        for (int i = 0; i < count; i++) {
            Throwable error = errors == null ? null : errors[i];
            if (error == null) {
                final int mark = out.size();
                try {
                    final Object encoded = results[i];
                    out.put(b -> b.put((byte) 0)).element(codec, encoded);
                    continue;
                } catch (final RuntimeException ex) {
                    error = ex;
                    out.put(b -> b.position(mark));
                }
            }
            final byte[] bytes = ErrorCodec.encode(error);
            out.put(b -> b.put((byte) 1).putInt(bytes.length).put(bytes));
        }
        return out.toArray();
    }

    private byte[] missing(final Bytes out, final Throwable ex) {
        final String message = "worker host '" + hostName + "' cannot load the task's function: "
            + (ex instanceof ClassNotFoundException || ex instanceof NoClassDefFoundError
                ? "class " + ex.getMessage() + " is not on its class path (start it with --classpath)" : ex.toString());
        final byte[] text = message.getBytes(StandardCharsets.UTF_8);
        out.put(b -> b.put(STATUS_MISSING_CLASS).put(text));
        return out.toArray();
    }

    /** @return the class named by a ClassNotFoundException or NoClassDefFoundError in the causes, or null. */
    private static String missingClass(final Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClassNotFoundException || cause instanceof NoClassDefFoundError) {
                return cause.getMessage();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private void load() throws IOException, ClassNotFoundException {
        if (function != null) {
            return;
        }
        final AllowList allowList = (AllowList) Serialized.fromBytes(allowListBytes);
        codec = new ElementCodec(Codecs.forType(Object.class, allowList, maxObjectDepth));
        function = (SerializableFunction<Object, Object>) Serialized.fromBytes(functionBytes);
    }
}
