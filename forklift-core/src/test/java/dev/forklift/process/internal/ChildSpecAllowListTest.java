package dev.forklift.process.internal;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A child decodes what arrives on its control socket safely: the spec from its binary layout (no object stream),
 * the task and arguments through an allow-list of the classes its parent wrote into them. A class outside them never comes to life:
 * its {@code readObject} (which would write a marker file) never runs. The parent here is the test itself, speaking
 * the protocol on a socket of its own to a real {@link ChildMain} JVM.
 */
@ProcessDeadline(seconds = 90)
class ChildSpecAllowListTest {
    /** A class whose decoding has a visible effect: it writes the file its field names. */
    public static final class Marker implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String file;

        Marker(final String file) {
            this.file = file;
        }

        private void readObject(final ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            Files.writeString(Path.of(file), "decoded");
        }
    }

    @Test
    void serializationRefusesAClassTheWriterDidNotNameBeforeItIsDecoded(@TempDir final Path temp) throws Exception {
        final Path marker = temp.resolve("marker");
        final Serialization.Encoded encoded = Serialization.toBytesNamingClasses(new Object[] {new Marker(
            marker.toString()), "text", 42});
        assertThat(encoded.classNames()).contains(Marker.class.getName(), "[Ljava.lang.Object;",
            "java.lang.Integer");

        assertThatThrownBy(() -> Serialization.fromBytes(encoded.bytes(), Serialization.allowListOf(Set.of())))
            .isInstanceOf(Serialization.ClassRefusedException.class).hasMessageContaining(Marker.class.getName());
        assertThat(marker).doesNotExist();

        final Object[] decoded = (Object[]) Serialization.fromBytes(encoded.bytes(),
            Serialization.allowListOf(encoded.classNames()));
        assertThat(decoded[1]).isEqualTo("text");
        assertThat(marker).exists();
    }

    @Test
    void aChildRefusesArgumentsHoldingAClassItsSpecDoesNotName(@TempDir final Path temp) throws Exception {
        final Path marker = temp.resolve("marker");
        final Serialization.Encoded args = Serialization.toBytesNamingClasses(new Object[] {new Marker(
            marker.toString())});
        final ChildSpec spec = new ChildSpec("allow-list", "test", ProcessHandle.current().pid(),
            "dev.forklift.process.TestTasks$ExitTask", null, args.bytes(), new String[] {"[Ljava.lang.Object;"},
            temp.resolve("no-board").toString(), 1);

        final String failure = startFailureOfAChildGiven(temp, spec.encode());

        assertThat(failure).contains("refused to decode the task arguments").contains(Marker.class.getName());
        assertThat(marker).as("the refused class never came to life").doesNotExist();
    }

    @Test
    void aChildRefusesASpecFrameThatHoldsAnythingButASpec(@TempDir final Path temp) throws Exception {
        final Path marker = temp.resolve("marker");

        final String failure = startFailureOfAChildGiven(temp, Serialization.toBytes(new Marker(marker.toString())));

        // The spec is a binary layout, not an object stream: a serialized object is not a spec, and nothing of it
        // is decoded.
        assertThat(failure).contains("refused the spec").contains("not a spec");
        assertThat(marker).as("the refused class never came to life").doesNotExist();
    }

    /** Plays the parent: launches ChildMain, checks its hello, sends the spec payload, returns its START_FAILED. */
    private static String startFailureOfAChildGiven(final Path temp, final byte[] specPayload) throws Exception {
        final Path socket = temp.resolve("ctl.sock");
        final String token = "0123456789abcdef0123456789abcdef";
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            final Process child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ChildMain.class.getName(), socket.toString()))
                .redirectErrorStream(true).start();
            try {
                child.getOutputStream().write((token + "\n").getBytes(StandardCharsets.US_ASCII));
                child.getOutputStream().close();
                try (SocketChannel channel = server.accept()) {
                    final Frames.Frame hello = Frames.read(channel, Frames.HELLO);
                    assertThat(new String(hello.payload(), StandardCharsets.UTF_8)).isEqualTo(token);
                    Frames.write(channel, Frames.SPEC, specPayload);
                    final Frames.Frame answer = Frames.read(channel);
                    assertThat(answer).isNotNull();
                    assertThat(answer.type()).isEqualTo(Frames.START_FAILED);
                    final ThrowableEnvelope envelope = (ThrowableEnvelope) Serialization.fromBytes(answer.payload());
                    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(child.exitValue()).isEqualTo(ChildMain.START_FAILED_EXIT_CODE);
                    return envelope.message();
                }
            } finally {
                child.destroyForcibly();
            }
        }
    }
}
