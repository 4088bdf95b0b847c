package dev.forklift.process.internal;

import dev.forklift.codec.AllowList;

import java.util.Base64;
import java.util.List;

/**
 * Runs the JDK's object-stream decoding once, on a daemon thread, at the start of a child's {@code main}: the
 * object stream's classes, its filter and logger set-up, and the first generated serialization constructor, which a
 * cold JVM otherwise pays for inside the decoding of the task's arguments, on the way to its first result. Started
 * by {@link ChildMain} before it opens its first UNIX-domain socket, whose class initialisation (a
 * {@code SecureRandom}, so the security providers) takes the main thread meanwhile; the two overlap.
 *
 * <p>Called from a child JVM only: {@link #start} never blocks; {@link #awaitDone}, called before the spec is decoded,
 * waits for the warm-up to end (the decoding would otherwise wait on the same classes' initialisation). A failure
 * is ignored (the real decoding will report it). Internal; not API.
 */
final class DecodeWarmup implements Runnable {
    /** {@code List.of(1, 2L)} as an object stream writes it (a {@code CollSer}, an Integer and a Long). */
    static final String SAMPLE_BASE64 = "rO0ABXNyABFqYXZhLnV0aWwuQ29sbFNlcleOq7Y6G6gRAwABSQADdGFneHAAAAABdwQAAAACc3IA"
        + "EWphdmEubGFuZy5JbnRlZ2VyEuKgpPeBhzgCAAFJAAV2YWx1ZXhyABBqYXZhLmxhbmcuTnVtYmVyhqyVHQuU4IsCAAB4cAAAAAFzcgAO"
        + "amF2YS5sYW5nLkxvbmc7i+SQzI8j3wIAAUoABXZhbHVleHEAfgADAAAAAAAAAAJ4";
    /** What {@link #SAMPLE_BASE64} decodes to. */
    static final List<Object> SAMPLE = List.of(1, 2L);

    /** The warm-up's thread once started, in this JVM; null before. */
    private static volatile Thread started;

    private DecodeWarmup() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    static void start() {
        final Thread thread = new Thread(new DecodeWarmup(), "forklift-decode-warmup");
        thread.setDaemon(true);
        started = thread;
        thread.start();
    }

    /**
     * Waits for the warm-up to end, if it was started; returns at once otherwise. Keeps the interrupt status.
     */
    static void awaitDone() {
        final Thread thread = started;
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (final InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Decodes the sample through {@link Serialization#fromBytes(byte[], AllowList)}, the path a child's spec takes.
     *
     * @return the decoded sample.
     * @throws Exception if the sample does not decode.
     */
    static Object decodeSample() throws Exception {
        return Serialization.fromBytes(Base64.getDecoder().decode(SAMPLE_BASE64), AllowList.defaults());
    }

    @Override
    public void run() {
        try {
            decodeSample();
            StartupTrace.stamp("child decode warmed");
        } catch (final Exception | LinkageError ignored) {
            // The real decoding reports whatever is wrong.
        }
    }
}
