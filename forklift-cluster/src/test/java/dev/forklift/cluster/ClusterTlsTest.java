package dev.forklift.cluster;

import dev.forklift.ForkliftException;
import dev.forklift.pool.Pool;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS is one option away: a broker process that accepts TLS only (a self-signed key store made here with the JDK's
 * {@code keytool}), a worker host process and a caller that trust its certificate run a map over TLS on 127.0.0.1;
 * a caller without TLS, and one that trusts another certificate, are refused.
 */
@ProcessDeadline(seconds = 120)
class ClusterTlsTest {
    private static final String PASSWORD = "tls-test-secret";
    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static String plainUrl;

    @BeforeAll
    static void start() throws Exception {
        final Path keyStore = dir.resolve("broker.p12");
        final Path trustStore = dir.resolve("trust.p12");
        selfSigned(keyStore, trustStore, "broker");
        cluster = new LocalCluster(dir, List.of("-Xmx128m"));
        // a refused caller fails after the call timeout: 5 s here rather than the default 30 s
        plainUrl = cluster.url() + "&callTimeout=5000";
        cluster.tls("sslEnabled=true;keyStorePath=" + keyStore + ";keyStorePassword=" + PASSWORD,
            "sslEnabled=true&trustStorePath=" + trustStore + "&trustStorePassword=" + PASSWORD);
        cluster.startBroker();
        cluster.startHost("tls-host", 1, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Makes a self-signed key pair for 127.0.0.1 in {@code keyStore} and its certificate alone in {@code trust}. */
    private static void selfSigned(final Path keyStore, final Path trustStore, final String alias)
        throws IOException, InterruptedException {
        final Path certificate = keyStore.resolveSibling(alias + ".cer");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
            "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
            "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
            "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-storetype", "PKCS12",
            "-keystore", trustStore.toString(), "-storepass", PASSWORD);
    }

    private static void keytool(final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }

    @Test
    void aCallerAndAWorkerHostOverTlsRunAMap() {
        assertThat(cluster.url()).contains("sslEnabled=true");
        try (Pool pool = Pool.builder().broker(cluster.url()).name("tls").build()) {
            assertThat(pool.map((Integer x) -> x * 3, List.of(1, 2, 3, 4))).containsExactly(3, 6, 9, 12);
            assertThat(pool.workerPids()).isNotEmpty();
        }
    }

    @Test
    void aCallerWithoutTlsIsRefused() {
        assertThat(plainUrl).doesNotContain("ssl");
        assertThatThrownBy(() -> Pool.builder().broker(plainUrl).name("plain").build().close())
            .isInstanceOf(ForkliftException.class).hasMessageContaining("add sslEnabled=true");
    }

    @Test
    void aCallerTrustingAnotherCertificateIsRefused() throws Exception {
        final Path otherKeys = dir.resolve("other.p12");
        final Path otherTrust = dir.resolve("other-trust.p12");
        selfSigned(otherKeys, otherTrust, "other");
        final String untrusting = plainUrl + "&sslEnabled=true&trustStorePath=" + otherTrust + "&trustStorePassword="
            + PASSWORD;
        assertThatThrownBy(() -> Pool.builder().broker(untrusting).name("untrusting").build().close())
            .isInstanceOf(ForkliftException.class).hasMessageContaining("trust store holds its certificate")
            .hasMessageContaining("trustStorePassword=***").message().doesNotContain(PASSWORD);
    }
}
