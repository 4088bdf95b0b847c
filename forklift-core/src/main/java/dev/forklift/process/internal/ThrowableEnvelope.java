package dev.forklift.process.internal;

import dev.forklift.process.RemoteTaskException;

import java.io.Serializable;

/**
 * A throwable as sent from a child to its parent: its class name, message and stack trace always, and the
 * serialized throwable itself (with its causes) when it could be serialized.
 *
 * <p>Internal; not API.
 *
 * @param className    the class name of the throwable.
 * @param message      its message, possibly null.
 * @param trace        its stack trace in the child.
 * @param serialized   the serialized throwable, or null when it could not be serialized.
 */
public record ThrowableEnvelope(String className, String message, StackTraceElement[] trace, byte[] serialized)
    implements Serializable {

    /**
     * @param thrown a throwable in the child.
     * @return its envelope; never fails.
     */
    public static ThrowableEnvelope of(final Throwable thrown) {
        byte[] serialized;
        try {
            serialized = Serialization.toBytes(thrown);
        } catch (final Exception | LinkageError ex) {
            serialized = null;
        }
        return new ThrowableEnvelope(thrown.getClass().getName(), thrown.getMessage(), thrown.getStackTrace(),
            serialized);
    }

    /** @return the original throwable when it can be decoded in this process, else null. */
    public Throwable decode() {
        if (serialized == null) {
            return null;
        }
        try {
            return (Throwable) Serialization.fromBytes(serialized);
        } catch (final Exception | LinkageError ex) {
            return null;
        }
    }

    /**
     * @param childName the name of the child that sent this envelope.
     * @param pid       its pid.
     * @return the exception the parent reports for the failed task.
     */
    public RemoteTaskException toRemoteTaskException(final String childName, final long pid) {
        return new RemoteTaskException(childName, pid, className, message, trace, decode());
    }
}
