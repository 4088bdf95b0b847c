package dev.forklift.testing;

import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Codecs that throw what real ones can: a stack overflow from recursion, errors on command. Serializable. */
public final class MisbehavingCodecs {
    private MisbehavingCodecs() {
    }

    /**
     * Encodes a {@link Link} chain recursively, the rest of the chain before each link (as a naive codec of a
     * recursive structure would): a chain long enough overflows the stack of the putting thread before anything is
     * written. Decodes iteratively.
     */
    public static final class RecursiveLinkCodec implements Codec<Link> {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() {
            return "test.recursive-link";
        }

        @Override
        public void encode(final Link value, final ByteBuffer target) {
            if (value.next() != null) {
                encode(value.next(), target);
            }
            target.putInt(value.value());
        }

        @Override
        public Link decode(final ByteBuffer source) {
            Link next = null;
            while (source.hasRemaining()) {
                next = new Link(source.getInt(), next);
            }
            if (next == null) {
                throw new CodecException("empty link chain");
            }
            return next;
        }
    }

    /**
     * UTF-8 strings, except that a string starting with {@code encode:} or {@code decode:} followed by
     * {@code SOE}, {@code OOM}, {@code ASSERT} or {@code RUNTIME} makes that side throw a {@link StackOverflowError},
     * an {@link OutOfMemoryError} (simulated: nothing is allocated), an {@link AssertionError} or an
     * {@link IllegalStateException}.
     */
    public static final class PoisonCodec implements Codec<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() {
            return "test.poison";
        }

        @Override
        public void encode(final String value, final ByteBuffer target) {
            poison("encode:", value);
            target.put(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String decode(final ByteBuffer source) {
            final byte[] bytes = new byte[source.remaining()];
            source.get(bytes);
            final String value = new String(bytes, StandardCharsets.UTF_8);
            poison("decode:", value);
            return value;
        }

        private static void poison(final String side, final String value) {
            if (!value.startsWith(side)) {
                return;
            }
            final String what = value.substring(side.length());
            if (what.startsWith("SOE")) {
                throw new StackOverflowError("simulated while " + value);
            }
            if (what.startsWith("OOM")) {
                throw new OutOfMemoryError("simulated while " + value);
            }
            if (what.startsWith("ASSERT")) {
                throw new AssertionError("simulated while " + value);
            }
            if (what.startsWith("RUNTIME")) {
                throw new IllegalStateException("simulated while " + value);
            }
        }
    }
}
