package dev.forklift.pool.internal;

import dev.forklift.process.RemoteTaskException;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;

/**
 * Carries a throwable from a worker to the master as plain data: class name, message and stack trace of it and
 * its causes (no Java deserialization in the master). Internal; not API.
 */
public final class ErrorCodec {
    private static final int MAX_CAUSES = 8;
    private static final int MAX_FRAMES = 256;
    private static final int MAX_MESSAGE_CHARS = 8192;

    private ErrorCodec() {
    }

    /**
     * @param thrown a throwable in the worker.
     * @return its bytes; never fails.
     */
    public static byte[] encode(final Throwable thrown) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            int depth = 0;
            for (Throwable t = thrown; t != null && depth < MAX_CAUSES; t = t.getCause()) {
                depth++;
            }
            out.writeInt(depth);
            Throwable t = thrown;
            for (int i = 0; i < depth; i++, t = t.getCause()) {
                out.writeUTF(t.getClass().getName());
                String message;
                try {
                    message = t.getMessage();
                } catch (final Throwable ex) {
                    if (dev.forklift.codec.CodecFailures.isFatal(ex)) {
                        throw ex;
                    }
                    message = "(getMessage threw " + ex.getClass().getName() + ")";
                }
                out.writeBoolean(message != null);
                if (message != null) {
                    out.writeUTF(message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS)
                        : message);
                }
                final StackTraceElement[] trace = t.getStackTrace();
                final int frames = Math.min(trace.length, MAX_FRAMES);
                out.writeInt(frames);
                for (int f = 0; f < frames; f++) {
                    out.writeUTF(trace[f].getClassName());
                    out.writeUTF(trace[f].getMethodName());
                    out.writeUTF(trace[f].getFileName() == null ? "" : trace[f].getFileName());
                    out.writeInt(trace[f].getLineNumber());
                }
            }
        } catch (final IOException ex) {
            throw new IllegalStateException("cannot happen with a byte array", ex);
        }
        return bytes.toByteArray();
    }

    /**
     * @param bytes      what {@link #encode} made.
     * @param workerName the worker that sent it.
     * @param pid        its pid.
     * @return the exception for the caller, with the worker's stack trace and causes.
     */
    public static RemoteTaskException decode(final byte[] bytes, final String workerName, final long pid) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final int depth = in.readInt();
            final String[] names = new String[depth];
            final String[] messages = new String[depth];
            final StackTraceElement[][] traces = new StackTraceElement[depth][];
            for (int i = 0; i < depth; i++) {
                names[i] = in.readUTF();
                messages[i] = in.readBoolean() ? in.readUTF() : null;
                final int frames = in.readInt();
                traces[i] = new StackTraceElement[frames];
                for (int f = 0; f < frames; f++) {
                    final String cls = in.readUTF();
                    final String method = in.readUTF();
                    final String file = in.readUTF();
                    traces[i][f] = new StackTraceElement(cls, method, file.isEmpty() ? null : file, in.readInt());
                }
            }
            RemoteTaskException cause = null;
            for (int i = depth - 1; i >= 0; i--) {
                cause = new RemoteTaskException(workerName, pid, names[i], messages[i], traces[i], cause);
            }
            return cause;
        } catch (final IOException ex) {
            return new RemoteTaskException(workerName, pid, "dev.forklift.codec.CodecException",
                "unreadable error report from the worker: " + ex, new StackTraceElement[0], null);
        }
    }
}
