package dev.forklift.process.internal;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a warm worker JVM does before it is leased ({@link WarmWorkerMain#warm()}), played in the test JVM, and the
 * walk of its young generation in a real warm worker JVM.
 */
@ProcessDeadline(seconds = 120)
class WarmWorkerMainTest {
    /** A task class of the host's hint that rehearses its start. */
    public static final class Rehearsing {
        static final AtomicInteger CALLS = new AtomicInteger();

        /** Called by the warm worker. */
        public static void warmUp() {
            CALLS.incrementAndGet();
        }
    }

    /** A hinted class whose rehearsal fails: warming goes on. */
    public static final class FailingRehearsal {
        /** Throws. */
        public static void warmUp() {
            throw new IllegalStateException("rehearsal failed");
        }
    }

    @AfterEach
    void clearHint() {
        System.clearProperty(WarmWorkerMain.PRELOAD_PROPERTY);
    }

    @Test
    void theHintedTaskClassesRehearseTheirStartAndAFailingOrMissingOneIsSkipped() {
        System.setProperty(WarmWorkerMain.PRELOAD_PROPERTY, FailingRehearsal.class.getName() + ",no.such.Task,"
            + Rehearsing.class.getName());
        final int before = Rehearsing.CALLS.get();
        WarmWorkerMain.warm();
        assertThat(Rehearsing.CALLS.get()).isEqualTo(before + 1);
    }

    @Test
    void aSpareHasItsYoungGenerationCollectedOnceBeforeItSaysReadyUnlessTurnedOff() throws Exception {
        // A young generation larger than anything warming allocates: only the walk fills it before ready.
        assertThat(youngCollectionsBeforeReady(List.of())).as("with the walk").isNotEmpty();
        assertThat(youngCollectionsBeforeReady(List.of("-D" + WarmWorkerMain.YOUNG_WALK_PROPERTY + "=false")))
            .as("without the walk, warming alone fills no young generation of this size").isEmpty();
    }

    /** @return the young collections a warm worker JVM logged before its ready line. */
    private static List<String> youngCollectionsBeforeReady(final List<String> extraOptions) throws Exception {
        final Path log = Files.createTempFile("warm-gc", ".log");
        final List<String> command = new ArrayList<>(List.of(Launcher.javaBinary(), "-XX:+UseSerialGC", "-Xmn64m",
            "-Xlog:gc:file=" + log));
        command.addAll(extraOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WarmWorkerMain.class.getName()));
        final Process spare = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(spare.getInputStream(),
            StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(WarmWorkerMain.READY_LINE)) {
                // Warming.
            }
            assertThat(line).as("the spare said it was warm").isEqualTo(WarmWorkerMain.READY_LINE);
            final List<String> young = new ArrayList<>();
            for (final String entry : Files.readAllLines(log)) {
                if (entry.contains("Pause Young")) {
                    young.add(entry);
                }
            }
            return young;
        } finally {
            spare.getOutputStream().close(); // end of its input: a spare never leased exits
            if (!spare.waitFor(30, TimeUnit.SECONDS)) {
                spare.destroyForcibly();
            }
            deleteQuietly(log);
        }
    }

    private static void deleteQuietly(final Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (final IOException ignored) {
            // A temporary file.
        }
    }

    @Test
    void theWaitForAQuietCompilerEndsAtItsLimitWhenTheCompilerNeverStaysQuietLongEnough() {
        final long start = System.nanoTime();
        assertThat(WarmWorkerMain.awaitCompilerQuiet(60_000, 300)).isFalse();
        final long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).isGreaterThanOrEqualTo(300).isLessThan(30_000);
    }

    @Test
    void theWaitEndsOnceTheCompilerWasQuietForTheGivenTime() {
        assertThat(WarmWorkerMain.awaitCompilerQuiet(1, 30_000)).isTrue();
    }
}
