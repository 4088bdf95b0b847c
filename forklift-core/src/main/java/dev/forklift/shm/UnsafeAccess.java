package dev.forklift.shm;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Direct loads and stores at native addresses through {@code sun.misc.Unsafe} (module {@code jdk.unsupported}, in
 * every JDK), for {@link AtomicMemory}: the same operations as its {@code VarHandle}s, but each one a single call
 * that the interpreter and the C1 compiler execute directly, where a {@code byteBufferViewVarHandle} access runs
 * through a chain of method handles until C2 inlines it. That chain is what a freshly started child spends most of
 * its first 100,000 queue operations in (figures in {@code docs/architecture.md}, "Queue memory access").
 *
 * <p>Used only where it is available and silent: a JDK older than 24 (JDK 24 warns on the first use of these methods,
 * JEP 498), and not turned off with {@value #DISABLE_PROPERTY}{@code =false}; elsewhere {@link #AVAILABLE} is false
 * and {@link AtomicMemory} keeps its {@code VarHandle}s. Callers check bounds and alignment first: these methods do
 * not. Internal to the shm package; called from any thread of any process.
 */
final class UnsafeAccess {
    /** System property: {@code false} keeps every {@link AtomicMemory} on its {@code VarHandle}s. */
    static final String DISABLE_PROPERTY = "forklift.unsafeMemoryAccess";
    /** The first JDK that warns when these methods are used. */
    private static final int FIRST_WARNING_JDK = 24;

    private static final sun.misc.Unsafe UNSAFE;
    private static final long ADDRESS_FIELD_OFFSET;
    /** True when this class may be used. */
    static final boolean AVAILABLE;

    static {
        sun.misc.Unsafe unsafe = null;
        long addressOffset = -1;
        if (Runtime.version().feature() < FIRST_WARNING_JDK
            && !"false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY, "true"))) {
            try {
                final Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                unsafe = (sun.misc.Unsafe) field.get(null);
                addressOffset = unsafe.objectFieldOffset(Buffer.class.getDeclaredField("address"));
            } catch (final ReflectiveOperationException | RuntimeException | LinkageError ex) {
                unsafe = null;
            }
        }
        UNSAFE = unsafe;
        ADDRESS_FIELD_OFFSET = addressOffset;
        AVAILABLE = unsafe != null;
    }

    private UnsafeAccess() {
    }

    /** @return the native address of the direct buffer's first byte (its index 0). */
    static long address(final ByteBuffer direct) {
        return UNSAFE.getLong(direct, ADDRESS_FIELD_OFFSET);
    }

    static long getLong(final long address) {
        return UNSAFE.getLong(address);
    }

    static void putLong(final long address, final long value) {
        UNSAFE.putLong(address, value);
    }

    static long getLongVolatile(final long address) {
        return UNSAFE.getLongVolatile(null, address);
    }

    static void putLongVolatile(final long address, final long value) {
        UNSAFE.putLongVolatile(null, address, value);
    }

    static void putLongRelease(final long address, final long value) {
        UNSAFE.putOrderedLong(null, address, value);
    }

    static boolean compareAndSetLong(final long address, final long expected, final long value) {
        return UNSAFE.compareAndSwapLong(null, address, expected, value);
    }

    static long getAndAddLong(final long address, final long delta) {
        return UNSAFE.getAndAddLong(null, address, delta);
    }

    static int getInt(final long address) {
        return UNSAFE.getInt(address);
    }

    static void putInt(final long address, final int value) {
        UNSAFE.putInt(address, value);
    }

    static int getIntVolatile(final long address) {
        return UNSAFE.getIntVolatile(null, address);
    }

    static void putIntVolatile(final long address, final int value) {
        UNSAFE.putIntVolatile(null, address, value);
    }

    static void putIntRelease(final long address, final int value) {
        UNSAFE.putOrderedInt(null, address, value);
    }

    static boolean compareAndSetInt(final long address, final int expected, final int value) {
        return UNSAFE.compareAndSwapInt(null, address, expected, value);
    }
}
