package dev.forklift.cluster;

import dev.forklift.ForkliftException;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

import java.nio.file.Path;
import java.util.Set;

/**
 * An Apache ActiveMQ Artemis broker embedded in this JVM, as {@code forklift broker} and the tests run it: one
 * TCP acceptor (on 127.0.0.1 unless told otherwise), a persistent journal in a directory (so a broker killed with
 * {@code kill -9} and restarted from it loses no acknowledged send), and one user whose credentials every client
 * must give (anonymous connections are refused unless {@code credentials} is null). Messages are never
 * dead-lettered by the broker: Forklift's worker hosts turn a task delivered too often into a failure record
 * instead, so no task vanishes silently.
 *
 * <p>Start and close from one thread; {@link #close()} is idempotent.
 */
public final class EmbeddedBroker implements AutoCloseable {
    /** The port of {@code forklift broker} unless told otherwise: Artemis's usual one. */
    public static final int DEFAULT_PORT = 61616;

    private final EmbeddedActiveMQ server;
    private final String url;
    private boolean closed;

    private EmbeddedBroker(final EmbeddedActiveMQ server, final String url) {
        this.server = server;
        this.url = url;
    }

    /**
     * Starts a broker and returns once it accepts connections.
     *
     * @param bindAddress the address to listen on, such as {@code 127.0.0.1}.
     * @param port        the TCP port.
     * @param dataDir     where the journal lives; created when absent, reused (recovered) when present.
     * @param credentials the one user allowed in, or null to let anyone in (tests only).
     * @param tls         TLS settings for the acceptor in Artemis's form ({@code sslEnabled=true;keyStorePath=..;
     *                    keyStorePassword=..}), or null for plain TCP.
     * @return the running broker.
     * @throws ForkliftException if it cannot start (port taken, journal locked).
     */
    public static EmbeddedBroker start(final String bindAddress, final int port, final Path dataDir,
        final Credentials credentials, final String tls) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 1..65535: port=" + port);
        }
        final Configuration config = new ConfigurationImpl();
        config.setPersistenceEnabled(true);
        // Artemis's default: the native asynchronous journal (libaio, direct writes, synced) where the platform has
        // it, else Artemis itself falls back to NIO (also synced). Either way a send is on disk before it counts.
        config.setJournalType(JournalType.ASYNCIO);
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        config.setNodeManagerLockDirectory(dataDir.toString());
        config.setJournalFileSize(10 << 20);
        // room for any record below the clients' large-message size (4 MiB) in one journal buffer
        config.setJournalBufferSize_NIO(8 << 20);
        config.setJournalBufferSize_AIO(8 << 20);
        config.setJournalMinFiles(2);
        config.setJMXManagementEnabled(false);
        // Under a loaded machine the analyzer would stop the broker for slow journal writes.
        config.setCriticalAnalyzer(false);
        config.setSecurityEnabled(credentials != null);
        config.setMaxDiskUsage(100);
        final String acceptor = "tcp://" + bindAddress + ":" + port + "?protocols=CORE"
            + (tls == null || tls.isBlank() ? "" : ";" + tls);
        try {
            config.addAcceptorConfiguration("forklift", acceptor);
        } catch (final Exception ex) {
            throw new ForkliftException("bad acceptor " + acceptor + ": " + ex, ex);
        }
        config.addAddressSetting("#", new AddressSettings()
            .setMaxDeliveryAttempts(-1)
            .setRedeliveryDelay(0)
            .setAutoCreateAddresses(true)
            .setAutoDeleteAddresses(true)
            .setAutoCreateQueues(false));
        config.putSecurityRoles("#", Set.of(new Role("forklift", true, true, true, true, true, true, true, true,
            true, true)));
        final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        if (credentials != null) {
            final SecurityConfiguration users = new SecurityConfiguration();
            users.addUser(credentials.user(), credentials.password());
            users.addRole(credentials.user(), "forklift");
            server.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        }
        try {
            server.start();
        } catch (final Exception ex) {
            try {
                server.stop();
            } catch (final Exception ignored) {
                // already failed
            }
            throw new ForkliftException("the broker could not start on " + bindAddress + ":" + port + " with its"
                + " journal in " + dataDir + ": " + ex, ex);
        }
        return new EmbeddedBroker(server, "tcp://" + bindAddress + ":" + port);
    }

    /** @return the URL clients connect to (without credentials). */
    public String url() {
        return url;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } catch (final Exception ex) {
            throw new ForkliftException("the broker did not stop cleanly: " + ex, ex);
        }
    }
}
