package dev.forklift.process.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spec's binary layout ({@link ChildSpec#encode}, {@link ChildSpec#decode}). */
class ChildSpecTest {
    private static final ChildSpec SPEC = new ChildSpec("worker-1", "pool-worker", 4242, null, new byte[] {1, 2, 3},
        new byte[] {9, 8}, new String[] {"[Ljava.lang.Object;", "dev.example.Ünicode"}, "/dev/shm/board", 7);

    @Test
    void everyFieldComesBackAsItWasEncoded() throws Exception {
        final ChildSpec decoded = ChildSpec.decode(SPEC.encode());
        assertThat(decoded.name()).isEqualTo("worker-1");
        assertThat(decoded.role()).isEqualTo("pool-worker");
        assertThat(decoded.parentPid()).isEqualTo(4242);
        assertThat(decoded.taskClassName()).isNull();
        assertThat(decoded.taskBytes()).containsExactly(1, 2, 3);
        assertThat(decoded.argsBytes()).containsExactly(9, 8);
        assertThat(decoded.classNames()).containsExactly("[Ljava.lang.Object;", "dev.example.Ünicode");
        assertThat(decoded.statusBoardPath()).isEqualTo("/dev/shm/board");
        assertThat(decoded.statusRow()).isEqualTo(7);
    }

    @Test
    void bytesThatAreNotAWholeSpecAreRefusedWithWhatIsWrong() {
        final byte[] bytes = SPEC.encode();
        assertThatThrownBy(() -> ChildSpec.decode(Arrays.copyOf(bytes, bytes.length - 1)))
            .isInstanceOf(IOException.class).hasMessageContaining("lengthBytes=");
        assertThatThrownBy(() -> ChildSpec.decode(Arrays.copyOf(bytes, bytes.length + 1)))
            .isInstanceOf(IOException.class).hasMessageContaining("after its last field");
        final byte[] otherMagic = bytes.clone();
        otherMagic[0] = (byte) 0xAC;
        assertThatThrownBy(() -> ChildSpec.decode(otherMagic)).isInstanceOf(IOException.class)
            .hasMessageContaining("not a spec");
        final byte[] hugeLength = bytes.clone();
        hugeLength[4] = 0x7f; // the name's length
        assertThatThrownBy(() -> ChildSpec.decode(hugeLength)).isInstanceOf(IOException.class)
            .hasMessageContaining("bad field length");
    }

    @Test
    void everyTruncationAndRandomDamageIsEitherASpecOrAnIoExceptionNeverAnotherFailure() {
        final byte[] bytes = SPEC.encode();
        for (int length = 0; length < bytes.length; length++) {
            final byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> ChildSpec.decode(truncated)).as("truncated to %d bytes", length)
                .isInstanceOf(IOException.class);
        }
        final java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 20_000; round++) {
            final byte[] damaged = bytes.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            try {
                ChildSpec.decode(damaged);
            } catch (final IOException refused) {
                // A clear refusal: what the child reports as a start failure.
            }
        }
    }
}
