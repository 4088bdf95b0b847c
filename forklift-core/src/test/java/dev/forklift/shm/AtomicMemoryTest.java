package dev.forklift.shm;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link AtomicMemory} reads and writes the bytes a {@link ByteBuffer} view of the same memory sees, also through
 * a slice (a non-zero base address), and fails fast on bad offsets, whichever access it uses.
 */
class AtomicMemoryTest {
    private static final int CAPACITY = 256;

    @Test
    void usesDirectAccessWhereItIsSilent() {
        final AtomicMemory memory = new AtomicMemory(ByteBuffer.allocateDirect(CAPACITY));
        // JDK 17 to 23: sun.misc.Unsafe, which the interpreter and C1 run as single calls (JDK 24 warns on it).
        assertThat(memory.direct()).isEqualTo(Runtime.version().feature() < 24
            && !"false".equals(System.getProperty("forklift.unsafeMemoryAccess")));
    }

    @Test
    void everyOperationMeetsTheBufferAtTheSameOffsetAlsoInASlice() {
        final ByteBuffer whole = ByteBuffer.allocateDirect(CAPACITY * 2).order(ByteOrder.nativeOrder());
        final ByteBuffer slice = whole.position(CAPACITY).slice().order(ByteOrder.nativeOrder());
        final AtomicMemory memory = new AtomicMemory(slice);
        assertThat(memory.capacityBytes()).isEqualTo(CAPACITY);

        memory.putLong(8, 0x1122334455667788L);
        assertThat(slice.getLong(8)).isEqualTo(0x1122334455667788L);
        assertThat(whole.getLong(CAPACITY + 8)).isEqualTo(0x1122334455667788L);
        memory.putLongRelease(16, 5);
        memory.putLongVolatile(24, 6);
        assertThat(slice.getLong(16)).isEqualTo(5);
        assertThat(slice.getLong(24)).isEqualTo(6);
        slice.putLong(32, 7);
        assertThat(memory.getLong(32)).isEqualTo(7);
        assertThat(memory.getLongAcquire(32)).isEqualTo(7);
        assertThat(memory.getLongVolatile(32)).isEqualTo(7);
        assertThat(memory.compareAndSetLong(32, 6, 9)).isFalse();
        assertThat(memory.compareAndSetLong(32, 7, 9)).isTrue();
        assertThat(memory.getAndAddLong(32, 3)).isEqualTo(9);
        assertThat(slice.getLong(32)).isEqualTo(12);

        memory.putInt(40, 0x01020304);
        memory.putIntRelease(44, 2);
        memory.putIntVolatile(48, 3);
        assertThat(slice.getInt(40)).isEqualTo(0x01020304);
        assertThat(slice.getInt(44)).isEqualTo(2);
        assertThat(slice.getInt(48)).isEqualTo(3);
        slice.putInt(52, 4);
        assertThat(memory.getInt(52)).isEqualTo(4);
        assertThat(memory.getIntAcquire(52)).isEqualTo(4);
        assertThat(memory.getIntVolatile(52)).isEqualTo(4);
        assertThat(memory.compareAndSetInt(52, 4, 8)).isTrue();
        assertThat(slice.getInt(52)).isEqualTo(8);
        assertThat(whole.getLong(8)).isZero();

        memory.putBytes(CAPACITY - 3, new byte[] {1, 2, 3});
        assertThat(memory.getBytes(CAPACITY - 3, 3)).containsExactly(1, 2, 3);
    }

    @Test
    void offsetsOutsideTheBufferFailWithTheOffsetNamed() {
        final AtomicMemory memory = new AtomicMemory(ByteBuffer.allocateDirect(CAPACITY));
        assertThatThrownBy(() -> memory.getLong(CAPACITY - 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> memory.putLongVolatile(CAPACITY, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> memory.getIntVolatile(-4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> memory.compareAndSetInt(CAPACITY - 2, 0, 1))
            .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(memory.getLong(CAPACITY - 8)).isZero();
    }

    @Test
    void atomicAccessToAMisalignedOffsetFails() {
        final AtomicMemory memory = new AtomicMemory(ByteBuffer.allocateDirect(CAPACITY));
        assertThatThrownBy(() -> memory.getLongVolatile(4)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> memory.compareAndSetLong(12, 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> memory.putIntRelease(2, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHeapBufferIsRefused() {
        assertThatThrownBy(() -> new AtomicMemory(ByteBuffer.allocate(CAPACITY)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direct");
    }
}
