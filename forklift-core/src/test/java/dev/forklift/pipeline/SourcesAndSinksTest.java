package dev.forklift.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sources and sinks on their own, in one process. */
class SourcesAndSinksTest {
    @Test
    void shouldExpandFilesDirectoriesAndGlobs(@TempDir final Path dir) throws Exception {
        final Path a = Files.writeString(dir.resolve("a.txt"), "a");
        Files.createDirectories(dir.resolve("sub/deeper"));
        final Path b = Files.writeString(dir.resolve("sub/b.log"), "b");
        final Path c = Files.writeString(dir.resolve("sub/deeper/c.txt"), "c");
        final Path missing = dir.resolve("missing.txt");

        assertThat(Sources.expand(List.of(a.toString(), dir.resolve("sub").toString(), missing.toString(), a.toString())))
            .containsExactly(a, b, c, missing);
        assertThat(Sources.expand(List.of(dir + "/**.txt"))).containsExactlyInAnyOrder(a, c);
        assertThat(Sources.expand(List.of(dir + "/sub/*.log"))).containsExactly(b);
    }

    @Test
    void shouldCutBlocksOnlyBetweenWords(@TempDir final Path dir) throws Exception {
        final Path file = Files.writeString(dir.resolve("t.txt"), "alpha beta\ngamma-délta epsilon zeta eta");
        final List<String> blocks = new ArrayList<>();
        Sources.blocks(List.of(file), 8).get(0).read(new SourceContext<>() {
            @Override
            public void emit(final byte[] item) {
                blocks.add(new String(item, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void position(final long position) {
            }

            @Override
            public long position() {
                return 0;
            }

            @Override
            public void addBytesRead(final long bytes) {
            }
        });

        assertThat(String.join("", blocks)).isEqualTo(Files.readString(file));
        assertThat(blocks).hasSizeGreaterThan(3);
        assertThat(blocks.subList(0, blocks.size() - 1)).allSatisfy(block -> assertThat(block)
            .matches("(?s).*[^\\p{L}\\p{Nd}]"));
    }

    @Test
    void shouldWriteCsvAndJsonLines() throws Exception {
        final StringWriter csv = new StringWriter();
        try (Sink<String[]> sink = Sinks.csv(csv, List.of("word", "note"), row -> List.of(row[0], row[1]))) {
            sink.accept(new String[] {"plain", "a, \"quoted\" note"});
        }
        assertThat(csv.toString()).isEqualTo("word,note\nplain,\"a, \"\"quoted\"\" note\"\n");

        final StringWriter json = new StringWriter();
        try (Sink<String> sink = Sinks.jsonLines(json, word -> {
            final Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("word", word);
            fields.put("length", word.length());
            return fields;
        })) {
            sink.accept("tab\there");
        }
        assertThat(json.toString()).isEqualTo("{\"word\":\"tab\\there\",\"length\":8}\n");
    }

    @Test
    void shouldRejectMisuseNamingTheBadValue() {
        assertThatThrownBy(() -> Pipeline.read(String.class, List.of()).build())
            .hasMessageContaining("at least one source");
        assertThatThrownBy(() -> Pipeline.read(String.class, List.of(Sources.iterable("x", new ArrayList<String>())))
            .producers(0)).hasMessageContaining("processes=0");
        assertThatThrownBy(() -> Pipeline.read(String.class, List.of(Sources.iterable("x", new ArrayList<String>())))
            .name("has space")).hasMessageContaining("name=has space");
        assertThatThrownBy(() -> Sources.iterable("x", List.of("a").subList(0, 1)))
            .hasMessageContaining("must be serializable");
    }
}
