package dev.forklift.pool.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.queue.Queue;
import dev.forklift.queue.internal.SharedQueue;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binary layout of a pool worker's own arguments: every field round-trips, bad bytes are refused by name. */
class WorkerArgsTest {
    private static WorkerArgs sample(final byte[] initializer) {
        final AllowList allowList = AllowList.defaults().allowNames("com.acme.Order", "com.acme.Línea")
            .allowPackage("org.example.model");
        return new WorkerArgs("/dev/shm/forklift/queue-a", "pool-worker-1-tasks", 2_000_000_000L, 0,
            "/dev/shm/forklift/queue-b", "pool-results", 3_000_000_000L, 5_000_000_000L, 7,
            new WorkerSettings(allowList, 65_536, initializer, 33), "/dev/shm/forklift/marker-7");
    }

    @Test
    void everyFieldRoundTrips() {
        final WorkerArgs args = sample(new byte[] {1, 2, 3});

        final WorkerArgs decoded = WorkerArgs.decode(args.encode());

        assertThat(decoded.inboxPath()).isEqualTo(args.inboxPath());
        assertThat(decoded.inboxName()).isEqualTo(args.inboxName());
        assertThat(decoded.inboxRepairAfterNs()).isEqualTo(2_000_000_000L);
        assertThat(decoded.inboxStallTimeoutNs()).isZero();
        assertThat(decoded.resultsPath()).isEqualTo(args.resultsPath());
        assertThat(decoded.resultsName()).isEqualTo(args.resultsName());
        assertThat(decoded.resultsRepairAfterNs()).isEqualTo(3_000_000_000L);
        assertThat(decoded.resultsStallTimeoutNs()).isEqualTo(5_000_000_000L);
        assertThat(decoded.workerId()).isEqualTo(7);
        assertThat(decoded.exitMarker()).isEqualTo("/dev/shm/forklift/marker-7");
        assertThat(decoded.settings().maxMessageBytes()).isEqualTo(65_536);
        assertThat(decoded.settings().maxObjectDepth()).isEqualTo(33);
        assertThat(decoded.settings().initializer()).containsExactly(1, 2, 3);
        assertThat(decoded.settings().allowList().classNames())
            .isEqualTo(args.settings().allowList().classNames()).contains("com.acme.Línea");
        assertThat(decoded.settings().allowList().packagePrefixes()).containsExactly("org.example.model.");
        assertThat(decoded.settings().allowList().isAllowedName("org.example.model.Item")).isTrue();
        assertThat(decoded.settings().allowList().isAllowedName("com.acme.Other")).isFalse();
    }

    @Test
    void keepsANullInitializerApartFromAnEmptyOne() {
        assertThat(WorkerArgs.decode(sample(null).encode()).settings().initializer()).isNull();
        assertThat(WorkerArgs.decode(sample(new byte[0]).encode()).settings().initializer()).isEmpty();
    }

    @Test
    void refusesBadBytesNamingWhatIsWrong() {
        final byte[] good = sample(new byte[] {9}).encode();

        assertThatThrownBy(() -> WorkerArgs.decode(null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no bytes");
        final byte[] badMagic = good.clone();
        badMagic[0] = 0x00;
        assertThatThrownBy(() -> WorkerArgs.decode(badMagic)).hasMessageContaining("bad magic");
        final byte[] badVersion = good.clone();
        ByteBuffer.wrap(badVersion).putInt(4, 99);
        assertThatThrownBy(() -> WorkerArgs.decode(badVersion)).hasMessageContaining("layout version 99");
        final byte[] badSize = good.clone();
        ByteBuffer.wrap(badSize).putInt(12, 0);
        assertThatThrownBy(() -> WorkerArgs.decode(badSize)).hasMessageContaining("maxMessageBytes=0");
        final byte[] badTimeout = good.clone();
        ByteBuffer.wrap(badTimeout).putLong(28, -1);
        assertThatThrownBy(() -> WorkerArgs.decode(badTimeout)).hasMessageContaining("inbox stallTimeoutNs=-1");
        final byte[] badLength = good.clone();
        ByteBuffer.wrap(badLength).putInt(52, Integer.MAX_VALUE);
        assertThatThrownBy(() -> WorkerArgs.decode(badLength)).hasMessageContaining("inbox file length")
            .hasMessageContaining("out of range");
        assertThatThrownBy(() -> WorkerArgs.decode(Arrays.copyOf(good, good.length - 1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerArgs.decode(Arrays.copyOf(good, 30))).hasMessageContaining("cut short");
        assertThatThrownBy(() -> WorkerArgs.decode(Arrays.copyOf(good, good.length + 2)))
            .hasMessageContaining("2 bytes left over");
    }

    @Test
    void everyCutOfAGoodLayoutIsRefusedWithAnIllegalArgument() {
        final byte[] good = sample(new byte[] {4, 5}).encode();
        for (int length = 0; length < good.length; length++) {
            final byte[] cut = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> WorkerArgs.decode(cut)).as("cut at %d", length)
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("worker arguments: ");
        }
    }

    @Test
    void theQueuesTravelByFileAndNameAndAttach() throws Exception {
        try (Queue<byte[]> inbox = Queue.builder(byte[].class).name("wargs-test-tasks").capacity(4)
                .maxMessageBytes(1024).stallTimeout(Duration.ofSeconds(9)).build();
             Queue<byte[]> results = Queue.builder(byte[].class).name("wargs-test-results").capacity(4)
                 .maxMessageBytes(1024).build()) {
            final WorkerArgs args = WorkerArgs.decode(WorkerArgs.of((SharedQueue<byte[]>) inbox,
                (SharedQueue<byte[]>) results, 3, new WorkerSettings(AllowList.defaults(), 1024, null), "m")
                .encode());
            assertThat(args.inboxStallTimeoutNs()).isEqualTo(9_000_000_000L);
            inbox.put(new byte[] {42});
            try (SharedQueue<byte[]> attachedInbox = args.attachInbox();
                 SharedQueue<byte[]> attachedResults = args.attachResults()) {
                assertThat(attachedInbox.take()).containsExactly(42);
                attachedResults.put(new byte[] {43});
                assertThat(results.take()).containsExactly(43);
                assertThat(attachedInbox.timeouts().stallTimeoutNs()).isEqualTo(9_000_000_000L);
            }
        }
    }

    @Test
    void refusesAQueueThatDoesNotWaitTheDefaultWay() throws Exception {
        try (Queue<byte[]> inbox = Queue.builder(byte[].class).name("wargs-test-spin").capacity(4)
                .maxMessageBytes(1024).waitStrategy(dev.forklift.queue.WaitStrategy.yielding()).build()) {
            assertThatThrownBy(() -> WorkerArgs.of((SharedQueue<byte[]>) inbox, (SharedQueue<byte[]>) inbox, 1,
                new WorkerSettings(AllowList.defaults(), 1024, null), "m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wargs-test-spin");
        }
    }
}
