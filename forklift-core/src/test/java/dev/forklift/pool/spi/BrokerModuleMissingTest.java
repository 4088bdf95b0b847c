package dev.forklift.pool.spi;

import dev.forklift.pool.Pool;
import dev.forklift.queue.Queue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The core alone: a pool or queue over a broker fails at once, naming the module to add. */
class BrokerModuleMissingTest {
    @Test
    void aBrokerPoolWithoutTheClusterModuleNamesTheModule() {
        assertThatThrownBy(() -> Pool.builder().broker("tcp://127.0.0.1:61616").build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("forklift-cluster");
    }

    @Test
    void aBrokerQueueWithoutTheClusterModuleNamesTheModule() {
        assertThatThrownBy(() -> Queue.builder(String.class).broker("tcp://127.0.0.1:61616").name("q").build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("forklift-cluster");
    }

    @Test
    void aBlankBrokerUrlIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> Pool.builder().broker(" ")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("broker=");
    }
}
