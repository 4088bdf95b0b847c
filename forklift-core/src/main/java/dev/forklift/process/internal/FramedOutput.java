package dev.forklift.process.internal;

import dev.forklift.process.ChildOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The standard output or error of a warm worker once a parent has leased it: its pipes belong to its host, so each
 * line goes to the parent as an {@link Frames#OUTPUT_LINE} control frame, where the parent hands it to the child's
 * {@link ChildOutput} as it does a piped line. A line longer than {@link OutputPump#MAX_LINE_BYTES} is sent in
 * pieces; a line without terminator is sent on flush at exit. Lines are lost once the parent is gone. Output the
 * JVM writes itself (a crash report on file descriptor 2) still goes to the host's pipes.
 *
 * <p>Internal; not API. Thread-safe (synchronized).
 */
final class FramedOutput extends OutputStream {
    private final SocketChannel channel;
    private final ChildOutput.Stream stream;
    private final byte[] line = new byte[OutputPump.MAX_LINE_BYTES];
    private int length;
    private boolean afterCarriageReturn;

    private FramedOutput(final SocketChannel channel, final ChildOutput.Stream stream) {
        this.channel = channel;
        this.stream = stream;
    }

    /** @return a print stream (UTF-8, auto-flushing) over a framed output. */
    static PrintStream printStream(final SocketChannel channel, final ChildOutput.Stream stream) {
        return new PrintStream(new FramedOutput(channel, stream), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(final int b) {
        if (b == '\n' && afterCarriageReturn) {
            afterCarriageReturn = false;
            return;
        }
        if (b == '\n' || b == '\r') {
            afterCarriageReturn = b == '\r';
            send();
            return;
        }
        afterCarriageReturn = false;
        if (length == line.length) {
            send();
        }
        line[length++] = (byte) b;
    }

    @Override
    public synchronized void write(final byte[] bytes, final int offset, final int count) {
        for (int i = 0; i < count; i++) {
            write(bytes[offset + i]);
        }
    }

    /** Sends a pending line without terminator only at close: a flush mid-line keeps it. */
    @Override
    public synchronized void close() {
        if (length > 0) {
            send();
        }
    }

    private void send() {
        try {
            ChildMain.write(channel, Frames.OUTPUT_LINE, Frames.OutputLine.encode(stream, line, length));
        } catch (final IOException ignored) {
            // The parent is gone; the parent watch halts this process.
        }
        length = 0;
    }
}
