package dev.forklift.cli;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The writers picocli makes for standard output and error by default ({@code CommandLine.getOut}, {@code getErr}),
 * for the plain paths of {@code run} and {@code wordcount} that run a command without picocli's model: their output
 * is then encoded and flushed as it would be through picocli. Called on the command-line JVM's main thread; never
 * blocks beyond the stream's own writes.
 */
public final class PlainWriters {
    private PlainWriters() {
    }

    /** @return an auto-flushing writer on {@code System.out}, in the encoding picocli would choose. */
    public static PrintWriter out() {
        return printWriter(System.out, System.getProperty("sun.stdout.encoding"));
    }

    /** @return an auto-flushing writer on {@code System.err}, in the encoding picocli would choose. */
    public static PrintWriter err() {
        return printWriter(System.err, System.getProperty("sun.stderr.encoding"));
    }

    private static PrintWriter printWriter(final OutputStream stream, final String encoding) {
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset(encoding))), true);
    }

    /** As picocli's charsetForName: cp65001 is UTF-8; unknown or absent, the default charset. */
    private static Charset charset(final String name) {
        if (name == null) {
            return Charset.defaultCharset();
        }
        try {
            return Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
        } catch (final RuntimeException ex) {
            return Charset.defaultCharset();
        }
    }
}
