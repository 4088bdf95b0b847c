package dev.forklift.process.internal;

import org.junit.jupiter.api.Test;

import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The option that names the JDK's NIO provider to a child ({@link SelectorProviderOption}). */
class SelectorProviderOptionTest {
    private static final String OPTION = "-D" + SelectorProviderOption.PROPERTY + '=';

    @Test
    void aChildIsToldThisProcesssOwnJdkProvider() {
        assertThat(SelectorProviderOption.forChild(List.of("-Xmx64m"), Map.of()))
            .containsExactly(OPTION + SelectorProvider.provider().getClass().getName());
    }

    @Test
    void theUsersProviderInTheOptionsOrTheEnvironmentWins() {
        assertThat(SelectorProviderOption.forChild(List.of(OPTION + "com.acme.Provider"), Map.of())).isEmpty();
        assertThat(SelectorProviderOption.forChild(List.of(), Map.of("JAVA_TOOL_OPTIONS",
            "-Xss1m " + OPTION + "com.acme.Provider"))).isEmpty();
        assertThat(SelectorProviderOption.forChild(List.of(), Map.of("JDK_JAVA_OPTIONS",
            OPTION + "com.acme.Provider"))).isEmpty();
    }

    @Test
    void theParentCanTurnItOff() {
        final String before = System.getProperty(SelectorProviderOption.DISABLE_PROPERTY);
        System.setProperty(SelectorProviderOption.DISABLE_PROPERTY, "false");
        try {
            assertThat(SelectorProviderOption.forChild(List.of(), Map.of())).isEmpty();
        } finally {
            if (before == null) {
                System.clearProperty(SelectorProviderOption.DISABLE_PROPERTY);
            } else {
                System.setProperty(SelectorProviderOption.DISABLE_PROPERTY, before);
            }
        }
    }
}
