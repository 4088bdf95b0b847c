package dev.forklift.pool;

import dev.forklift.codec.CodecException;
import dev.forklift.codec.ObjectCodec;
import dev.forklift.process.RemoteTaskException;
import dev.forklift.testing.Link;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A user's deeply nested input or result (a linked chain 300,000 long) fails only its own task, with a clear
 * error, whichever side of the pool meets it: it never kills a worker (no crash, no retry) nor a thread of the
 * master, and the pool goes on.
 */
@ProcessDeadline(seconds = 180)
class PoolDeepValuesTest {
    private static final long WAIT_S = 60;

    @Test
    void aDeepInputOrResultFailsOnlyItsTaskNamingTheDepthLimit() throws Exception {
        try (Pool pool = Pool.builder().workers(2).name("deep").allow(Link.class).build()) {
            final CompletableFuture<Integer> deepInput = pool.submit((Link link) -> link.length(),
                Link.chain(300_000));
            assertThatThrownBy(() -> deepInput.get(WAIT_S, TimeUnit.SECONDS)).cause()
                .isInstanceOf(CodecException.class).hasMessageContaining("maxDepth=64")
                .hasMessageContaining("maxObjectDepth");

            final CompletableFuture<Link> deepResult = pool.submit((Integer n) -> Link.chain(n), 300_000);
            assertThatThrownBy(() -> deepResult.get(WAIT_S, TimeUnit.SECONDS)).cause()
                .isInstanceOf(RemoteTaskException.class).hasMessageContaining("CodecException")
                .hasMessageContaining("maxDepth=64");

            final Iterator<Outcome<Object, Object>> outcomes = pool.imapOutcomes((Object x) -> ((Link) x).length(),
                List.<Object>of(Link.chain(3), Link.chain(300_000), Link.chain(64)).iterator(), true);
            assertThat(outcomes.next().result()).isEqualTo(3);
            assertThat(outcomes.next().error()).isInstanceOf(CodecException.class);
            assertThat(outcomes.next().result()).isEqualTo(64);

            assertThat(pool.submit((Integer x) -> x + 1, 1).get(WAIT_S, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(pool.stats().workerCrashes()).as("no worker died of a deep value").isZero();
            assertThat(pool.stats().retries()).isZero();
        }
    }

    @Test
    void pastARaisedLimitAStackOverflowOnEitherSideFailsOnlyItsTaskAndKillsNothing() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("overflow").allow(Link.class)
            .maxObjectDepth(ObjectCodec.MAX_MAX_DEPTH).jvmOptions("-Xss512m").build()) {
            // the master encodes the input: its thread's stack overflows
            final CompletableFuture<Integer> deepInput = pool.submit((Link link) -> link.length(),
                Link.chain(300_000));
            assertThatThrownBy(() -> deepInput.get(WAIT_S, TimeUnit.SECONDS)).cause()
                .isInstanceOf(CodecException.class).hasCauseInstanceOf(StackOverflowError.class);

            // the worker (with a large stack) encodes a result the master's collector cannot decode on its stack
            final CompletableFuture<Link> deepForTheMaster = pool.submit((Integer n) -> Link.chain(n), 20_000);
            assertThatThrownBy(() -> deepForTheMaster.get(WAIT_S, TimeUnit.SECONDS)).cause()
                .isInstanceOf(CodecException.class).hasMessageContaining("cannot decode the result in the parent")
                .hasCauseInstanceOf(StackOverflowError.class);

            assertThat(pool.submit((Integer x) -> x * 2, 21).get(WAIT_S, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(pool.stats().workerCrashes()).isZero();
        }
    }
}
