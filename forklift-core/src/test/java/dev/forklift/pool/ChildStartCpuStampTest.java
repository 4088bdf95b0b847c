package dev.forklift.pool;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With start-up stamps and their CPU times on ({@code forklift.startupTrace.cpu}), every pool worker stamps the CPU
 * time its whole start took (all its threads, to the ready report) right after that report (issue 12): the figure
 * start-up changes are compared by where wall time is too noisy; and the same per thread
 * ({@code java=190 C1_CompilerThre=40 ...}: main, compiler threads). With the stamps alone it does not: reading
 * every thread's {@code /proc} entry took milliseconds between the worker's ready and its first task, which the
 * plain stamps then showed as the worker's. Read from the stamps of a fresh JVM and its workers
 * ({@link FlightRecorderProbeMain} {@code pool}), which they all inherit through {@code JAVA_TOOL_OPTIONS}.
 */
@ProcessDeadline(seconds = 120)
class ChildStartCpuStampTest {
    private static final String CPU_STAMP = "child cpu ms at ready ";
    private static final String THREAD_CPU_STAMP = "child thread cpu ms at ready ";

    @Test
    void withThePlainStampsAWorkerStampsNoCpuTimeBetweenItsReadyAndItsFirstTask(@TempDir final Path dir)
        throws Exception {
        final Path trace = dir.resolve("stamps.txt");
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-cp", System.getProperty("java.class.path"), FlightRecorderProbeMain.class.getName(), "pool")
            .redirectErrorStream(true);
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Dforklift.startupTrace=" + trace);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("probe output: " + output).isZero();
        final List<String> workerStamps = Files.readAllLines(trace).stream().map(line -> line.split(" ", 4))
            .filter(fields -> fields.length == 4 && fields[2].equals("pool-worker")).map(fields -> fields[3]).toList();
        assertThat(workerStamps).contains("child ready sent");
        assertThat(workerStamps).noneMatch(stamp -> stamp.startsWith(CPU_STAMP) || stamp.startsWith(THREAD_CPU_STAMP));
    }

    @Test
    void everyWorkerStampsTheCpuTimeOfItsStartAfterItsReadyReport(@TempDir final Path dir) throws Exception {
        final Path trace = dir.resolve("stamps.txt");
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-cp", System.getProperty("java.class.path"), FlightRecorderProbeMain.class.getName(), "pool")
            .redirectErrorStream(true);
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Dforklift.startupTrace=" + trace
            + " -Dforklift.startupTrace.cpu=true");
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("probe output: " + output).isZero();
        assertThat(output).contains("result 2");

        // <epoch us> <pid> <role> <what> [cpu N ms]: what each worker process stamped (the stamping thread's CPU
        // time, which every stamp carries here, left out).
        final Map<String, List<String>> stampsByWorker = Files.readAllLines(trace).stream()
            .map(line -> line.split(" ", 4)).filter(fields -> fields.length == 4 && fields[2].equals("pool-worker"))
            .collect(Collectors.groupingBy(fields -> fields[1],
                Collectors.mapping(fields -> fields[3].replaceFirst(" \\[cpu -?\\d+ ms]$", ""),
                    Collectors.toList())));
        final List<String> workersThatRanTasks = stampsByWorker.entrySet().stream()
            .filter(entry -> entry.getValue().contains("worker first frame taken")).map(Map.Entry::getKey).toList();
        // The pool's first result needs one worker, and its close kills a worker still starting or ready but never
        // given a task: the second may be killed before it stamps. Every worker that took a task must carry the stamp.
        assertThat(workersThatRanTasks).as("workers that took a task: " + stampsByWorker).isNotEmpty();
        for (final String pid : workersThatRanTasks) {
            final List<String> stamps = stampsByWorker.get(pid);
            final List<String> cpu = stamps.stream().filter(stamp -> stamp.startsWith(CPU_STAMP)).toList();
            assertThat(cpu).as("stamps of worker " + pid).hasSize(1);
            assertThat(Long.parseLong(cpu.get(0).substring(CPU_STAMP.length()))).as("stamps of worker " + pid)
                .isPositive();
            assertThat(stamps.indexOf(cpu.get(0))).as("stamps of worker " + pid)
                .isGreaterThan(stamps.indexOf("child ready sent"));
            // The same by thread (name=ms, from /proc): where the start's CPU went, the main thread always there.
            final List<String> byThread = stamps.stream().filter(stamp -> stamp.startsWith(THREAD_CPU_STAMP)).toList();
            assertThat(byThread).as("stamps of worker " + pid).hasSize(1);
            assertThat(byThread.get(0).substring(THREAD_CPU_STAMP.length())).as("stamps of worker " + pid)
                .matches("(\\S+=\\d+ ?)+").containsPattern("(^| )java=[1-9]\\d*");
        }
    }

    @Test
    void withFaultsOnEveryStampOfEveryProcessCarriesItsMinorFaultsAndCpuTime(@TempDir final Path dir)
        throws Exception {
        final Path trace = dir.resolve("stamps.txt");
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-cp", System.getProperty("java.class.path"), FlightRecorderProbeMain.class.getName(), "pool")
            .redirectErrorStream(true);
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Dforklift.startupTrace=" + trace
            + " -Dforklift.startupTrace.faults=true");
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("probe output: " + output).isZero();

        final List<String[]> stamps = Files.readAllLines(trace).stream().map(line -> line.split(" ", 4))
            .filter(fields -> fields.length == 4).toList();
        assertThat(stamps.stream().map(fields -> fields[2]).distinct()).as("roles").contains("parent", "pool-worker");
        final Pattern faults = Pattern.compile(".* \\[minflt (\\d+) cpu (\\d+)]");
        for (final String[] fields : stamps) {
            final Matcher matcher = faults.matcher(fields[3]);
            assertThat(matcher.matches()).as("stamp of %s %s: %s", fields[2], fields[1], fields[3]).isTrue();
            assertThat(Long.parseLong(matcher.group(1))).as(fields[3]).isPositive();
            assertThat(Long.parseLong(matcher.group(2))).as(fields[3]).isPositive();
        }
    }
}
