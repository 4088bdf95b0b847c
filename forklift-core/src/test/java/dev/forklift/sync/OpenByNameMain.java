package dev.forklift.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Run in a JVM that Forklift did not start: opens shared state by name, changes it, prints what it saw. */
public final class OpenByNameMain {
    private OpenByNameMain() {
    }

    /** @param args the common prefix of the names. */
    public static void main(final String[] args) {
        final String prefix = args[0];
        try (SharedLong counter = SharedLong.open(prefix + "-counter");
             SharedDoubleArray weights = SharedDoubleArray.open(prefix + "-weights");
             SharedSegment segment = SharedSegment.open(prefix + "-segment")) {
            final ByteBuffer bytes = segment.buffer();
            final byte[] hello = new byte[5];
            bytes.get(0, hello);
            System.out.println("segment " + new String(hello, StandardCharsets.US_ASCII));
            bytes.put(8, "world".getBytes(StandardCharsets.US_ASCII));
            System.out.println("counter " + counter.addAndGet(2));
            System.out.println("weights " + weights.addAndGet(0, 1.5));
            weights.set(1, 3.0);
        }
    }
}
