package dev.forklift.cluster.internal;

import dev.forklift.pool.Pool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ClusterPool#chunkOverBroker}: bigger automatic chunks over the broker, still four per worker. */
class ChunkOverBrokerTest {
    @Test
    void aMillionInputsOverTwoWorkersGoInChunksOf65536() {
        assertThat(ClusterPool.chunkOverBroker(Pool.builder().workers(2).config(), 1_000_000)).isEqualTo(65_536);
    }

    @Test
    void manyWorkersKeepFourChunksEachAndSettingsWin() {
        assertThat(ClusterPool.chunkOverBroker(Pool.builder().workers(100).config(), 1_000_000)).isEqualTo(2_500);
        assertThat(ClusterPool.chunkOverBroker(Pool.builder().workers(2).config(), 10)).isEqualTo(2);
        assertThat(ClusterPool.chunkOverBroker(Pool.builder().workers(2).chunkSize(500).config(), 1_000_000))
            .isEqualTo(500);
        assertThat(ClusterPool.chunkOverBroker(Pool.builder().workers(2).config(), -1)).isEqualTo(1);
    }
}
