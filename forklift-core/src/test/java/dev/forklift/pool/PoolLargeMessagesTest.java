package dev.forklift.pool;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PoolBuilder#maxMessageBytes} holds over its whole documented range, up to 64 MiB. */
@ProcessDeadline(seconds = 90)
class PoolLargeMessagesTest {
    @Test
    void thePoolBuildsAndCarriesLargeMessagesAtTheLargestMaxMessageBytes() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("large-max").maxMessageBytes(PoolBuilder.MAX_MESSAGE_BYTES)
            .build()) {
            final String input = "q".repeat(10_000_000);
            assertThat(pool.submit((String s) -> s.length() + ":" + s, input).get(60, TimeUnit.SECONDS))
                .hasSize(10_000_009).startsWith("10000000:qqq");
        }
    }
}
