package dev.forklift.queue;

import dev.forklift.codec.CodecException;
import dev.forklift.testing.Link;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Whatever {@code put} accepts, {@code take} returns equal: over values of every built-in codec drawn by a seeded
 * generator (the byte and UTF-8 paths, every primitive box, records of simple values, the object codec with nested
 * collections, the dynamic codec), with values near each limit (the object codec's depth, the message size, strings
 * UTF-8 cannot carry). What {@code put} refuses, it refuses with an exception that names the limit; the queue is
 * neither wedged nor missing anything afterwards (a sentinel put next is the next item taken).
 */
class CodecRoundTripPropertyTest {
    private static final long SEED = 20_261_128L;
    private static final int CASES = 1500;
    private static final int MAX_MESSAGE_BYTES = 4096;
    private static final int MAX_DEPTH = 64;

    /** A record of simple values of every kind the record fast path carries. */
    public record Simple(int i, long l, double d, float f, boolean z, char c, byte b, short s, Integer boxed,
                         Long boxedLong, String text, byte[] bytes) implements Serializable {
    }

    /** A record the record fast path does not take: it holds a list. */
    public record Holder(String name, List<Object> items) implements Serializable {
    }

    /** An enum, travelling through the object codec. */
    public enum Colour { RED, GREEN, BLUE }

    @Test
    void bytes() throws Exception {
        check(byte[].class, random -> {
            final int pick = random.nextInt(10);
            final int length = pick == 0 ? MAX_MESSAGE_BYTES + random.nextInt(-1, 2) : pick == 1 ? 0
                : random.nextInt(0, MAX_MESSAGE_BYTES);
            final byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return bytes;
        }, CodecRoundTripPropertyTest::namesTheSize, new byte[] {42});
    }

    @Test
    void strings() throws Exception {
        check(String.class, random -> {
            final int pick = random.nextInt(10);
            if (pick == 0) {
                // UTF-8 length just under, at or just over the largest message: 2-byte characters, maybe one more
                return "\u00e9".repeat(MAX_MESSAGE_BYTES / 2 + random.nextInt(-1, 1)) + (random.nextBoolean() ? "x" : "");
            }
            return randomString(random, random.nextInt(0, pick == 1 ? 2000 : 40), pick == 2 ? 0.2 : 0.01);
        }, ex -> namesTheSize(ex) || ex.getMessage().contains("lone surrogate"), "sentinel");
    }

    @Test
    void primitiveBoxes() throws Exception {
        final double[] doubles = {0.0, -0.0, Double.NaN, Double.MIN_VALUE, Double.MAX_VALUE, Double.NEGATIVE_INFINITY};
        check(Integer.class, random -> random.nextInt(4) == 0 ? Integer.MIN_VALUE : random.nextInt(), never(), 1);
        check(Long.class, random -> random.nextInt(4) == 0 ? Long.MAX_VALUE : random.nextLong(), never(), 1L);
        check(Double.class, random -> random.nextInt(3) == 0 ? doubles[random.nextInt(doubles.length)]
            : Double.longBitsToDouble(random.nextLong()), never(), 1.0);
        check(Float.class, random -> Float.intBitsToFloat(random.nextInt()), never(), 1f);
        check(Short.class, random -> (short) random.nextInt(), never(), (short) 1);
        check(Byte.class, random -> (byte) random.nextInt(), never(), (byte) 1);
        check(Character.class, random -> (char) random.nextInt(0x10000), never(), 'x');
        check(Boolean.class, SplittableRandom::nextBoolean, never(), true);
    }

    @Test
    void recordsOfSimpleValues() throws Exception {
        check(Simple.class, CodecRoundTripPropertyTest::randomSimple,
            ex -> ex.getMessage().contains("lone surrogate") || namesTheSize(ex), simpleSentinel());
    }

    @Test
    void objectCodecWithNestedAndCollectionValues() throws Exception {
        check(Holder.class, random -> new Holder(randomString(random, 5, 0), List.of(
                randomObject(random, nearTheLimit(random) - 2), randomObject(random, random.nextInt(1, 6)),
                new long[] {random.nextLong(), random.nextLong()})),
            CodecRoundTripPropertyTest::namesTheDepthOrSize, new Holder("sentinel", List.of()));
    }

    @Test
    void dynamicCodec() throws Exception {
        check(Object.class, random -> {
            switch (random.nextInt(8)) {
                case 0: return randomString(random, random.nextInt(0, 50), 0.02);
                case 1: return random.nextInt();
                case 2: return random.nextLong();
                case 3: return random.nextDouble();
                case 4: final byte[] bytes = new byte[random.nextInt(0, 64)]; random.nextBytes(bytes); return bytes;
                case 5: return randomSimple(random);
                case 6: return Link.chain(nearTheLimit(random));
                default: return randomObject(random, random.nextInt(1, 8));
            }
        }, ex -> namesTheDepthOrSize(ex) || ex.getMessage().contains("lone surrogate"), "sentinel");
    }

    @Test
    void theLimitsThemselvesJustUnderAndJustOver() throws Exception {
        try (Queue<Object> queue = newQueue(Object.class)) {
            assertAccepted(queue, Link.chain(MAX_DEPTH));
            assertRefused(queue, Link.chain(MAX_DEPTH + 1), "maxDepth=" + MAX_DEPTH, "sentinel");
            assertAccepted(queue, new byte[MAX_MESSAGE_BYTES - 1]); // one byte for the dynamic codec's tag
            assertRefused(queue, new byte[MAX_MESSAGE_BYTES], "maxMessageBytes", "sentinel");
            assertAccepted(queue, "\uD83D\uDE00");
            assertRefused(queue, "\uD83D", "lone surrogate", "sentinel");
        }
    }

    /** Puts every generated value; each is taken back equal, or refused as {@code refusal} allows. */
    private static <T> void check(final Class<T> type, final Function<SplittableRandom, T> generator,
        final Predicate<RuntimeException> refusal, final T sentinel) throws Exception {
        final SplittableRandom random = new SplittableRandom(SEED + type.getName().hashCode());
        int accepted = 0;
        int refused = 0;
        try (Queue<T> queue = newQueue(type)) {
            for (int i = 0; i < CASES; i++) {
                final T value = generator.apply(random);
                if (tryPut(queue, value, refusal, sentinel)) {
                    accepted++;
                } else {
                    refused++;
                }
            }
        }
        assertThat(accepted).as("values of %s accepted (%d refused)", type.getSimpleName(), refused)
            .isGreaterThan(CASES / 3);
        if (refused == 0 && type != Integer.class && type != Long.class && type != Double.class
            && type != Float.class && type != Short.class && type != Byte.class && type != Character.class
            && type != Boolean.class) {
            fail("the generator of " + type.getSimpleName() + " never reached a limit");
        }
    }

    /** @return true if accepted (and taken back equal), false if refused (and the queue still works). */
    private static <T> boolean tryPut(final Queue<T> queue, final T value, final Predicate<RuntimeException> refusal,
        final T sentinel) throws Exception {
        try {
            queue.put(value);
        } catch (final CodecException | MessageTooLargeException ex) {
            if (!refusal.test(ex)) {
                throw new AssertionError("put refused " + describe(value) + " without naming a limit: " + ex, ex);
            }
            queue.put(sentinel);
            assertThat(same(sentinel, queue.poll())).as("the sentinel after a refused put").isTrue();
            assertThat(queue.poll()).isNull();
            return false;
        }
        final T taken;
        try {
            taken = queue.poll();
        } catch (final CodecException ex) {
            throw new AssertionError("put accepted " + describe(value) + " but take refused it: " + ex, ex);
        }
        if (!same(value, taken)) {
            fail("put " + describe(value) + " but took " + describe(taken));
        }
        return true;
    }

    private static void assertAccepted(final Queue<Object> queue, final Object value) throws Exception {
        assertThat(tryPut(queue, value, ex -> false, "sentinel")).isTrue();
    }

    private static void assertRefused(final Queue<Object> queue, final Object value, final String limit,
        final Object sentinel) throws Exception {
        assertThat(tryPut(queue, value, ex -> ex.getMessage().contains(limit), sentinel))
            .as("refused naming %s", limit).isFalse();
    }

    private static <T> Queue<T> newQueue(final Class<T> type) {
        return Queue.builder(type).name("round-trip").capacity(4).maxMessageBytes(MAX_MESSAGE_BYTES)
            .allow(Simple.class, Holder.class, Colour.class, Link.class).maxObjectDepth(MAX_DEPTH).build();
    }

    private static Predicate<RuntimeException> never() {
        return ex -> false;
    }

    private static boolean namesTheSize(final RuntimeException ex) {
        return ex instanceof MessageTooLargeException && ex.getMessage().contains("maxMessageBytes");
    }

    private static boolean namesTheDepthOrSize(final RuntimeException ex) {
        return namesTheSize(ex) || ex.getMessage().contains("maxDepth=" + MAX_DEPTH)
            && ex.getMessage().contains("maxObjectDepth");
    }

    /** @return a depth around the object codec's limit: just under, at, or just over it. */
    private static int nearTheLimit(final SplittableRandom random) {
        return random.nextBoolean() ? random.nextInt(1, MAX_DEPTH) : MAX_DEPTH + random.nextInt(-2, 3);
    }

    private static String randomString(final SplittableRandom random, final int length, final double loneShare) {
        final StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            final int kind = random.nextInt(10);
            if (random.nextDouble() < loneShare) {
                text.append((char) random.nextInt(0xD800, 0xE000)); // a surrogate, most likely without its pair
            } else if (kind < 5) {
                text.append((char) random.nextInt(0x20, 0x7F));
            } else if (kind < 8) {
                text.append((char) random.nextInt(0x80, 0xD800));
            } else {
                text.appendCodePoint(random.nextInt(0x10000, 0x110000)); // a proper pair
            }
        }
        return text.toString();
    }

    private static Simple randomSimple(final SplittableRandom random) {
        final byte[] bytes = random.nextInt(5) == 0 ? null : new byte[random.nextInt(0, 32)];
        if (bytes != null) {
            random.nextBytes(bytes);
        }
        return new Simple(random.nextInt(), random.nextLong(), Double.longBitsToDouble(random.nextLong()),
            Float.intBitsToFloat(random.nextInt()), random.nextBoolean(), (char) random.nextInt(0x10000),
            (byte) random.nextInt(), (short) random.nextInt(), random.nextBoolean() ? null : random.nextInt(),
            random.nextBoolean() ? null : random.nextLong(),
            random.nextInt(6) == 0 ? null : randomString(random, random.nextInt(0, 30), 0.01), bytes);
    }

    private static Simple simpleSentinel() {
        return new Simple(1, 2, 3, 4, true, 'c', (byte) 5, (short) 6, null, 7L, "sentinel", new byte[] {8});
    }

    /**
     * @return a value of the object codec nested about {@code depth} levels (a leaf counts as one here; some leaves,
     *         such as a {@code BigDecimal}, take two), without arrays (maps and sets compare them by identity).
     */
    private static Object randomObject(final SplittableRandom random, final int depth) {
        if (depth <= 1) {
            switch (random.nextInt(7)) {
                case 0: return randomString(random, random.nextInt(0, 10), 0.05); // Java serialization carries lone ones
                case 1: return random.nextLong();
                case 2: return new BigDecimal(random.nextLong()).movePointLeft(random.nextInt(0, 10));
                case 3: return new UUID(random.nextLong(), random.nextLong());
                case 4: return randomTime(random);
                case 5: return Colour.values()[random.nextInt(3)];
                default: return Link.chain(1);
            }
        }
        final Object inner = randomObject(random, depth - 1);
        switch (random.nextInt(9)) {
            case 0: return new ArrayList<>(List.of(inner, randomObject(random, 1)));
            case 1: return new LinkedList<>(List.of(inner));
            case 2: final HashMap<Object, Object> map = new HashMap<>(); map.put("k" + depth, inner); return map;
            case 3: return new HashSet<>(List.of(inner));
            case 4: return new TreeMap<>(Map.of(depth, inner));
            case 5: final LinkedHashMap<String, Object> linked = new LinkedHashMap<>(); linked.put("a", inner);
                linked.put("b", null); return linked;
            case 6: return List.of(inner);
            case 7: return new Holder("h" + depth, new ArrayList<>(List.of(inner)));
            default: return Map.of("only", inner);
        }
    }

    /** @return a java.time value (they travel as {@code java.time.Ser} and come back as themselves). */
    private static Object randomTime(final SplittableRandom random) {
        final LocalDate date = LocalDate.ofEpochDay(random.nextInt(-100_000, 100_000));
        switch (random.nextInt(5)) {
            case 0: return date;
            case 1: return Instant.ofEpochSecond(random.nextLong(-1L << 40, 1L << 40), random.nextInt(1_000_000_000));
            case 2: return Duration.ofNanos(random.nextLong());
            case 3: return ZonedDateTime.of(date.atTime(random.nextInt(24), 0), ZoneId.of("Europe/Paris"));
            default: return date.atStartOfDay().atOffset(ZoneOffset.ofHours(random.nextInt(-12, 13)));
        }
    }

    /** Equality as a user means it: arrays by content, records by their components (with arrays by content). */
    private static boolean same(final Object expected, final Object actual) {
        if (expected instanceof Record && actual instanceof Record && expected.getClass() == actual.getClass()) {
            try {
                for (final RecordComponent component : expected.getClass().getRecordComponents()) {
                    if (!same(component.getAccessor().invoke(expected), component.getAccessor().invoke(actual))) {
                        return false;
                    }
                }
                return true;
            } catch (final ReflectiveOperationException ex) {
                throw new AssertionError(ex);
            }
        }
        if (expected instanceof long[] && actual instanceof long[]) {
            return Arrays.equals((long[]) expected, (long[]) actual);
        }
        if (expected instanceof List && actual instanceof List) {
            final List<?> a = (List<?>) expected;
            final List<?> b = (List<?>) actual;
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return expected.getClass() == actual.getClass();
        }
        return Objects.deepEquals(expected, actual) && (expected == null || expected.getClass() == actual.getClass());
    }

    private static String describe(final Object value) {
        if (value instanceof byte[]) {
            return "byte[" + ((byte[]) value).length + "]";
        }
        final String text = String.valueOf(value);
        return (value == null ? "null" : value.getClass().getSimpleName()) + " "
            + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
}
