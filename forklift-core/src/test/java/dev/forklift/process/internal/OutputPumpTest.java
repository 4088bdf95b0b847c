package dev.forklift.process.internal;

import dev.forklift.process.ChildOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the output pump cuts lines: long lines split into pieces of at most 64 KiB, UTF-8 never cut mid-character; and
 * lines a child sends as control frames, passed on and kept as piped lines are.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutputPumpTest {
    @Test
    void aLongLineOfMultiByteCharactersIsSplitOnCharacterBoundariesAndLosesNothing() throws Exception {
        final StringBuilder text = new StringBuilder();
        final String[] characters = {"a", "\u00e9", "\u20ac", "\ud83d\ude00"};
        for (int i = 0; text.length() < 3 * OutputPump.MAX_LINE_BYTES; i++) {
            text.append(characters[i % characters.length]);
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("\r\nnext\rlast\n\nend".getBytes(StandardCharsets.UTF_8));
        final List<String> lines = pump(bytes.toByteArray());

        final StringBuilder joined = new StringBuilder();
        int pieces = 0;
        for (final String line : lines) {
            if (!line.endsWith(OutputPump.SPLIT_MARKER)) {
                joined.append(line);
                break;
            }
            final String piece = line.substring(0, line.length() - OutputPump.SPLIT_MARKER.length());
            assertThat(piece.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(OutputPump.MAX_LINE_BYTES);
            assertThat(piece).doesNotContain("\ufffd");
            joined.append(piece);
            pieces++;
        }
        assertThat(pieces).isGreaterThanOrEqualTo(3);
        assertThat(joined.toString()).isEqualTo(text.toString());
        assertThat(lines.subList(pieces + 1, lines.size())).containsExactly("next", "last", "", "end");
    }

    @Test
    void shortLinesPassAsTheyAre() throws Exception {
        assertThat(pump("one\ntwo\r\nthree".getBytes(StandardCharsets.UTF_8))).containsExactly("one", "two", "three");
    }

    @Test
    void aLineSentAsAControlFrameReachesTheOutputOfItsStreamAndItsTail() {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final ChildOutput output = (stream, line) -> lines.add(stream + " " + line);
        final OutputPump stdout = OutputPump.none(ChildOutput.Stream.STDOUT, output, "[w 7] ");
        final OutputPump stderr = OutputPump.none(ChildOutput.Stream.STDERR, output, "[w 7] ");
        final byte[] said = "cannot start: no such class".getBytes(StandardCharsets.UTF_8);

        Frames.OutputLine.deliver(Frames.OutputLine.encode(ChildOutput.Stream.STDERR, said, said.length), stdout,
            stderr);

        assertThat(lines).containsExactly("STDERR [w 7] cannot start: no such class");
        assertThat(stderr.tail()).as("kept for the start failure's message").containsExactly(
            "cannot start: no such class");
        assertThat(stdout.tail()).isEmpty();
    }

    private static List<String> pump(final byte[] bytes) throws Exception {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final OutputPump pump = OutputPump.start(new ByteArrayInputStream(bytes), ChildOutput.Stream.STDOUT,
            (stream, line) -> lines.add(line), "", "test-pump", StandardCharsets.UTF_8);
        pump.done().get(30, TimeUnit.SECONDS);
        return lines;
    }
}
