package dev.forklift.bench;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The in-process references every Forklift figure is shown against: an {@link ArrayBlockingQueue} between two
 * threads of this JVM, and a plain memory copy. Each measurement lasts about a second.
 */
public final class Limits {
    private static final long WARMUP_NS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long MEASURE_NS = TimeUnit.MILLISECONDS.toNanos(1000);

    private Limits() {
    }

    /**
     * @param messageBytes the message size; each message is a new array copied from a template, as the
     *                     Forklift consumer also makes a new array per message.
     * @param perMegabyte  true to report MB/s of payload, false for messages per second.
     * @return an {@link ArrayBlockingQueue} of capacity 1024 between a producer and a consumer thread.
     */
    public static Limit arrayBlockingQueue(final int messageBytes, final boolean perMegabyte) {
        return new Limit() {
            @Override
            public String name() {
                return "ABQ " + messageBytes + " B";
            }

            @Override
            public boolean higherIsBetter() {
                return true;
            }

            @Override
            public double measure() throws InterruptedException {
                final double msgsPerSecond = abqThroughput(messageBytes);
                return perMegabyte ? msgsPerSecond * messageBytes / 1e6 : msgsPerSecond;
            }
        };
    }

    /** @return the bandwidth of copying 64 KiB blocks around a 16 MiB area with one thread, in MB/s. */
    public static Limit memoryCopy() {
        return new Limit() {
            @Override
            public String name() {
                return "memcpy 64 KiB";
            }

            @Override
            public boolean higherIsBetter() {
                return true;
            }

            @Override
            public double measure() {
                return copyBandwidth();
            }
        };
    }

    /** @return the median round trip of 16-byte arrays between two threads over two {@link ArrayBlockingQueue}s, in us. */
    public static Limit arrayBlockingQueueRoundTrip() {
        return new Limit() {
            @Override
            public String name() {
                return "ABQ ping-pong";
            }

            @Override
            public boolean higherIsBetter() {
                return false;
            }

            @Override
            public double measure() throws InterruptedException {
                return abqRoundTripUs();
            }
        };
    }

    static double abqThroughput(final int messageBytes) throws InterruptedException {
        final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(1024);
        final byte[] template = new byte[messageBytes];
        final Thread producer = new Thread(() -> {
            try {
                while (true) {
                    queue.put(Arrays.copyOf(template, template.length));
                }
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "abq-producer");
        producer.setDaemon(true);
        producer.start();
        try {
            final long warmEnd = System.nanoTime() + WARMUP_NS;
            long sink = 0;
            while (System.nanoTime() < warmEnd) {
                sink += queue.take().length;
            }
            long count = 0;
            final long start = System.nanoTime();
            long now;
            do {
                for (int i = 0; i < 1024; i++) {
                    sink += queue.take().length;
                }
                count += 1024;
                now = System.nanoTime();
            } while (now - start < MEASURE_NS);
            if (sink == 42) {
                System.out.print("");
            }
            return count * 1e9 / (now - start);
        } finally {
            producer.interrupt();
            producer.join();
        }
    }

    static double copyBandwidth() {
        final int block = 64 * 1024;
        final byte[] source = new byte[16 << 20];
        final byte[] target = new byte[16 << 20];
        Arrays.fill(source, (byte) 1);
        long bytes = 0;
        long start = System.nanoTime();
        boolean warm = false;
        int offset = 0;
        while (true) {
            System.arraycopy(source, offset, target, offset, block);
            offset = (offset + block) & (source.length - 1);
            bytes += block;
            if ((bytes & ((1 << 24) - 1)) == 0) {
                final long now = System.nanoTime();
                if (!warm && now - start >= WARMUP_NS) {
                    warm = true;
                    bytes = 0;
                    start = now;
                } else if (warm && now - start >= MEASURE_NS) {
                    return bytes * 1e3 / (now - start);
                }
            }
        }
    }

    static double abqRoundTripUs() throws InterruptedException {
        final BlockingQueue<byte[]> ping = new ArrayBlockingQueue<>(1);
        final BlockingQueue<byte[]> pong = new ArrayBlockingQueue<>(1);
        final Thread echo = new Thread(() -> {
            try {
                while (true) {
                    pong.put(ping.take());
                }
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "abq-echo");
        echo.setDaemon(true);
        echo.start();
        try {
            final byte[] message = new byte[16];
            for (int i = 0; i < 20_000; i++) {
                ping.put(message);
                pong.take();
            }
            final long[] rtts = new long[20_000];
            for (int i = 0; i < rtts.length; i++) {
                final long t0 = System.nanoTime();
                ping.put(message);
                pong.take();
                rtts[i] = System.nanoTime() - t0;
            }
            Arrays.sort(rtts);
            return rtts[rtts.length / 2] / 1e3;
        } finally {
            echo.interrupt();
            echo.join();
        }
    }
}
