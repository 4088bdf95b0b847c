package dev.forklift.pool;

import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import dev.forklift.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a pool reports through {@code System.Logger} "dev.forklift.pool", seen by a java.util.logging handler (the
 * default backend; SLF4J and Log4j bridges receive the same records).
 */
@ProcessDeadline(seconds = 90)
class PoolLoggingTest {
    @TempDir
    Path tmp;

    @Test
    void aWorkerKilledMinus9IsLoggedAsAWarningWithItsPidAndTheRetryAsInfo() throws Exception {
        try (RecordingHandler log = RecordingHandler.attach("dev.forklift.pool");
             Pool pool = Pool.builder().workers(1).name("logged").retryPolicy(RetryPolicy.attempts(2)).build()) {
            final long firstWorker = pool.workerPids().get(0);
            assertThat(log.messages(Level.FINE)).as("worker start at DEBUG")
                .anySatisfy(m -> assertThat(m).contains("logged-worker-1", "started", "pid " + firstWorker));

            final String marker = tmp.resolve("started").toString();
            final CompletableFuture<Long> victim = pool.submit((String file) -> Faults.announceAndWait(file), marker);
            Await.until(Duration.ofSeconds(30), () -> Files.exists(Path.of(marker)), () -> "the task to start");
            final long pid = Long.parseLong(Files.readString(Path.of(marker)));
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertThat(victim.get(60, TimeUnit.SECONDS)).isEqualTo(-1L);

            Await.until(Duration.ofSeconds(30), () -> !log.messages(Level.WARNING).isEmpty(),
                () -> "a warning about the death: " + log.records());
            assertThat(log.messages(Level.WARNING)).anySatisfy(m -> assertThat(m)
                .contains("logged-worker-1", "pid " + pid, "died", "signal=9"));
            assertThat(log.messages(Level.INFO)).anySatisfy(m -> assertThat(m)
                .contains("retrying", "pid " + pid, "attempt 2 of 2"));
        }
    }

    @Test
    void aBrokenPoolIsLoggedWithItsNameInSingleQuotes() throws Exception {
        try (RecordingHandler log = RecordingHandler.attach("dev.forklift.pool");
             Pool pool = Pool.builder().workers(1).name("never-starts").initializer((SerializableRunnable) () -> {
                 throw new IllegalStateException("init fails");
             }).build()) {
            final CompletableFuture<Integer> task = pool.submit((Integer x) -> x, 1);
            Await.until(Duration.ofSeconds(60), task::isDone, () -> "the task to fail with the pool");
            Await.until(Duration.ofSeconds(30), () -> !log.messages(Level.SEVERE).isEmpty(),
                () -> "an error that the pool is broken: " + log.records());
            assertThat(log.messages(Level.SEVERE)).anySatisfy(m -> assertThat(m)
                .startsWith("pool 'never-starts' is broken: it fails its pending tasks"));
        }
    }
}
