package dev.forklift.cli;

import dev.forklift.cli.run.ShoutTask;
import dev.forklift.testing.ProcessDeadline;
import dev.forklift.process.internal.ChildClasspath;
import dev.forklift.process.internal.Launcher;
import dev.forklift.process.internal.WarmHostClient;
import dev.forklift.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The children of {@code run} and {@code wordcount} started before the command line is parsed ({@link EarlyLaunch}),
 * with real child JVMs: the pool or pipeline the command then builds runs in exactly those JVMs (each has ended with
 * the command, as a worker or producer does; one nobody took would still wait for its hand-over), the output is
 * complete, and the cases the quick look cannot plan launch nothing.
 */
@ProcessDeadline(seconds = 120)
class EarlyLaunchTest {
    private static final long EXIT_WAIT_SECONDS = 30;

    @Test
    void runsWorkersStartedBeforeParsingAreTheOnesItsPoolRunsIn(@TempDir final Path dir) throws Exception {
        final Path input = dir.resolve("in.txt");
        Files.writeString(input, "alpha\nbeta\ngamma\n");
        final String[] args = {"run", "--quiet", "--workers", "2", "--task", ShoutTask.class.getName(),
            input.toString()};
        // As many as may boot at once (the pool's staggered start): the processors less one, at least 1.
        final int booting = Math.min(2, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        try (EarlyLaunch early = EarlyLaunch.start(args)) {
            assertThat(early.processes()).hasSize(booting);
            final CommandRun run = CommandRun.of(args);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo("ALPHA\nBETA\nGAMMA\n");
            for (final Process process : early.processes()) {
                assertThat(process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("the early JVM was a worker of the pool, and ended with it").isTrue();
            }
        }
    }

    @Test
    void wordcountsProducerStartedBeforeParsingIsTheOneItsPipelineRunsIn(@TempDir final Path dir) throws Exception {
        final Path first = Files.writeString(dir.resolve("a.txt"), "the quick brown fox\n");
        final Path second = Files.writeString(dir.resolve("b.txt"), "the lazy dog\n");
        final String[] args = {"wordcount", "--quiet", "--top=2", first.toString(), second.toString()};
        try (EarlyLaunch early = EarlyLaunch.start(args)) {
            assertThat(early.processes()).as("one producer for a tiny input").hasSize(1);
            final CommandRun run = CommandRun.of(args);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("2  the").contains("7 words (6 distinct) in 2 file(s)");
            assertThat(early.processes().get(0).waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS))
                .as("the early JVM was the pipeline's producer, and ended with it").isTrue();
        }
    }

    @Test
    void whatTheQuickLookCannotPlanLaunchesNothing(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "x\n");
        final String task = ShoutTask.class.getName();
        for (final String[] args : new String[][] {
            {"run", "--warm", "--task", task, input.toString()},
            {"run", "--broker", "tcp://127.0.0.1:1", "--task", task, input.toString()},
            {"run", "--resume", "state.resume"},
            {"run", "--help"},
            {"run", "--workers", "many", "--task", task, input.toString()},
            {"wordcount", dir.toString()},
            {"wordcount", dir.resolve("*.txt").toString()},
            {"wordcount", "--sample", dir.resolve("sample").toString()},
            {"wordcount", "--dashboard", input.toString()},
            {"ps"},
            {}}) {
            try (EarlyLaunch early = EarlyLaunch.start(args)) {
                assertThat(early.processes()).as(String.join(" ", args)).isEmpty();
            }
        }
    }

    @Test
    void jvmsNoCommandTookEndWithTheClose(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "x\n");
        final Process process;
        try (EarlyLaunch early = EarlyLaunch.start("run", "--workers", "1", "--task", ShoutTask.class.getName(),
            input.toString())) {
            assertThat(early.processes()).hasSize(1);
            process = early.processes().get(0);
        }
        assertThat(process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void runWarmLeasesItsWorkersBeforeParsingAndItsPoolRunsInThem(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "alpha\nbeta\ngamma\n");
        // The key of run's pool: this JVM's class path for its children, and the pool's one JVM option.
        final String classpath = ChildClasspath.forChild(Thread.currentThread().getContextClassLoader());
        final List<String> options = List.of("-XX:+ExitOnOutOfMemoryError");
        final String key = WarmHostClient.key(Launcher.javaBinary(), classpath, options).orElseThrow();
        final Duration wait = Duration.ofSeconds(60);
        try {
            assertThat(WarmHostClient.warmUp(classpath, options, 2, wait)).isTrue();
            Await.until(wait, () -> WarmHostClient.sparePids(key).size() >= 2, () -> "2 spares of " + key);
            final Set<Long> spares = new HashSet<>(WarmHostClient.sparePids(key));
            final String[] args = {"run", "--quiet", "--warm", "--workers", "2", "--task", ShoutTask.class.getName(),
                input.toString()};
            try (EarlyLaunch early = EarlyLaunch.start(args)) {
                assertThat(early.processes()).as("leased, not launched").isEmpty();
                Await.until(wait, () -> spares.stream().filter(WarmHostClient.sparePids(key)::contains).count()
                    <= spares.size() - 2, () -> "2 of the spares " + spares + " leased before the command was parsed");
                final Set<Long> leased = new HashSet<>(spares);
                leased.removeAll(WarmHostClient.sparePids(key));
                final CommandRun run = CommandRun.of(args);
                assertThat(run.exitCode()).as(run.err()).isZero();
                assertThat(run.out()).isEqualTo("ALPHA\nBETA\nGAMMA\n");
                for (final long pid : leased) {
                    ProcessHandle.of(pid).ifPresent(process -> assertThat(process.onExit())
                        .as("the leased JVM %d was a worker of the pool, and ended with it", pid)
                        .succeedsWithin(Duration.ofSeconds(EXIT_WAIT_SECONDS)));
                }
            }
        } finally {
            WarmHostClient.stopHost(key);
        }
    }
}
