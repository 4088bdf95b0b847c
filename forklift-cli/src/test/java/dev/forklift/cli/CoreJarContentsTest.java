package dev.forklift.cli;

import dev.forklift.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The core jar holds what a library user calls; the built-in jobs the commands run live outside it. */
class CoreJarContentsTest {
    @Test
    void shouldKeepTheWordCountJobOutOfTheCore() throws Exception {
        final List<String> coreEntries = entriesOf(codeLocation(Pipeline.class));

        assertThat(coreEntries).as("classes of the core").isNotEmpty()
            .noneMatch(entry -> entry.toLowerCase(java.util.Locale.ROOT).contains("wordcount"));
        final CommandRun help = CommandRun.of("wordcount", "--help");
        assertThat(help.exitCode()).isZero();
    }

    private static Path codeLocation(final Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<String> entriesOf(final Path location) throws IOException {
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                return files.map(f -> location.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toList());
            }
        }
        final List<String> entries = new ArrayList<>();
        try (JarFile jar = new JarFile(location.toFile())) {
            jar.stream().forEach(entry -> entries.add(entry.getName()));
        }
        return entries;
    }
}
