package dev.forklift.cluster;

import dev.forklift.ForkliftException;
import dev.forklift.pool.FailedTask;
import dev.forklift.pool.Pool;
import dev.forklift.pool.TaskFailedException;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who may use the cluster and what a host needs: the broker refuses anonymous and wrong credentials, its
 * credentials file is owner-only, and a worker host lacking the task's classes fails that task once, naming itself
 * and the class.
 */
@ProcessDeadline(seconds = 90)
class ClusterAccessTest {
    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(dir, List.of("-Xmx128m"));
        cluster.startBroker();
        // A host whose class path lacks this module's test classes: the functions below are unknown to it.
        final String bare = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
        cluster.startHosts(List.of("bare"), 1, Duration.ofSeconds(10), bare);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theCredentialsFileIsOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("broker.credentials"))))
            .isEqualTo("rw-------");
    }

    @Test
    void anAnonymousCallerIsRefused() {
        final String anonymous = cluster.url().substring(0, cluster.url().indexOf('?'))
            + "?credentials=" + dir.resolve("none.credentials");
        assertThatThrownBy(() -> {
            Files.writeString(dir.resolve("none.credentials"), "user=\npassword=\n");
            Pool.builder().broker(anonymous).build().close();
        }).isInstanceOf(ForkliftException.class).hasMessageContaining("refused the credentials");
    }

    @Test
    void aWrongPasswordIsRefused() {
        final String wrong = cluster.url().substring(0, cluster.url().indexOf('?')) + "?user=forklift&password=x";
        assertThatThrownBy(() -> Pool.builder().broker(wrong).build().close())
            .isInstanceOf(ForkliftException.class).hasMessageContaining("refused the credentials");
    }

    @Test
    void aHostLackingTheTaskClassesFailsItOnceNamingHostAndClass() {
        try (Pool pool = Pool.builder().broker(cluster.url()).name("bare").build()) {
            assertThatThrownBy(() -> pool.map((Integer x) -> x + 1, List.of(1, 2, 3)))
                .isInstanceOf(TaskFailedException.class).hasMessageContaining("bare")
                .hasMessageContaining(ClusterAccessTest.class.getName());
            Await.until(Duration.ofSeconds(30), () -> pool.failedTasks().size() == 3, () -> "3 failure records");
            final List<FailedTask> failed = pool.failedTasks();
            assertThat(failed).allSatisfy(record -> assertThat(record.attempts()).isEqualTo(1));
            assertThat(pool.stats().retries()).isZero();
        }
    }
}
