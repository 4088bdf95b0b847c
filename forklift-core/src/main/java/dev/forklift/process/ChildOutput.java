package dev.forklift.process;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where the lines a child writes to its standard output and error go in the parent.
 *
 * <p>Each line arrives whole (never mixed with another child's line), already prefixed with {@code [name pid] },
 * without its line terminator. {@link #line} is called from the parent's pump threads (one per stream per child),
 * so an implementation must be thread-safe and should not block for long: a slow sink slows the child down once
 * the pipe fills.
 */
@FunctionalInterface
public interface ChildOutput {
    /** The child stream a line came from. */
    enum Stream {
        /** The child's {@code System.out}. */
        STDOUT,
        /** The child's {@code System.err}. */
        STDERR
    }

    /**
     * Receives one line.
     *
     * @param stream the stream of the child the line was written to.
     * @param line   the line, prefixed with {@code [name pid] }, without line terminator.
     */
    void line(Stream stream, String line);

    /** @return the default: stdout lines to this process's {@code System.out}, stderr lines to its {@code System.err}. */
    static ChildOutput inherit() {
        return (stream, line) -> (stream == Stream.STDOUT ? System.out : System.err).println(line);
    }

    /** @return an output that drops every line. */
    static ChildOutput discard() {
        return (stream, line) -> { };
    }

    /**
     * @param sink receives every line of both streams; must be thread-safe.
     * @return an output feeding the sink.
     */
    static ChildOutput to(final Consumer<String> sink) {
        Objects.requireNonNull(sink, "sink");
        return (stream, line) -> sink.accept(line);
    }

    /**
     * Sends each line to a {@link System.Logger} instead of this process's streams, so that the application's
     * logging setup (JUL, or SLF4J and Log4j through their {@code System.Logger} bridges) decides where the children's
     * lines go. The line keeps its {@code [name pid] } prefix. Lines of the child's standard output are logged at
     * {@code INFO}, those of its standard error at {@code WARNING}.
     *
     * @param logger the logger, for instance {@code System.getLogger("com.acme.workers")}.
     * @return an output logging every line.
     */
    static ChildOutput toLogger(final System.Logger logger) {
        return toLogger(logger, System.Logger.Level.INFO, System.Logger.Level.WARNING);
    }

    /**
     * As {@link #toLogger(System.Logger)}, with the level of each stream.
     *
     * @param logger      the logger.
     * @param stdoutLevel the level of the lines of the child's standard output.
     * @param stderrLevel the level of the lines of its standard error.
     * @return an output logging every line.
     */
    static ChildOutput toLogger(final System.Logger logger, final System.Logger.Level stdoutLevel,
        final System.Logger.Level stderrLevel) {
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(stdoutLevel, "stdoutLevel");
        Objects.requireNonNull(stderrLevel, "stderrLevel");
        return (stream, line) -> logger.log(stream == Stream.STDOUT ? stdoutLevel : stderrLevel, line);
    }

    /**
     * @param others further outputs to feed each line to, after this one.
     * @return an output that passes each line to this output and then to the others.
     */
    default ChildOutput andThen(final ChildOutput... others) {
        return (stream, line) -> {
            line(stream, line);
            for (final ChildOutput other : others) {
                other.line(stream, line);
            }
        };
    }
}
