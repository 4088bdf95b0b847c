package dev.forklift.cluster.internal;

import dev.forklift.ForkliftException;
import dev.forklift.cluster.BrokerUrl;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One connection to the broker with Forklift's settings: reconnects by itself forever (a broker restarted from its
 * journal is found again; sessions and consumers are recreated and their unacknowledged messages redelivered),
 * no prefetch for consumers (a host takes only what it can run), sends that do not wait for the broker's
 * confirmation (persistence is kept; losses on a broker crash are covered by the caller re-sending what is
 * unfinished after each reconnection). The lease is the connection's TTL: a client silent for longer (stopped,
 * frozen, cut off) loses its session and its unacknowledged messages go back to the queue. Internal to the module.
 *
 * <p>Sessions are not thread-safe: each thread that uses the broker has its own.
 */
public final class BrokerConnection implements AutoCloseable {
    /** Messages from this size on travel as Artemis large messages (a file each on the broker): 4 MiB. */
    public static final int MIN_LARGE_MESSAGE_BYTES = 4 << 20;

    private final BrokerUrl url;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final CopyOnWriteArrayList<Runnable> onReconnect = new CopyOnWriteArrayList<>();

    /**
     * Connects.
     *
     * @param url     the broker.
     * @param leaseMs the connection TTL in milliseconds: how long the broker keeps a silent client's session.
     * @throws ForkliftException if the broker cannot be reached.
     */
    public BrokerConnection(final BrokerUrl url, final long leaseMs) {
        this(url, leaseMs, false);
    }

    /**
     * @param artemisUrl the URL given to the Artemis client.
     * @return the URL as errors show it: the values of its password options (key and trust store) masked.
     */
    static String shown(final String artemisUrl) {
        return artemisUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * @param artemisUrl   the URL given to the Artemis client.
     * @param name         one of its query options.
     * @param defaultValue the value when the URL does not give one.
     * @return the option's value: Forklift's settings apply unless the URL names the same option.
     */
    static long urlOption(final String artemisUrl, final String name, final long defaultValue) {
        final int query = artemisUrl.indexOf('?');
        if (query >= 0) {
            for (final String param : artemisUrl.substring(query + 1).split("[&;]")) {
                if (param.startsWith(name + "=")) {
                    try {
                        return Long.parseLong(param.substring(name.length() + 1));
                    } catch (final NumberFormatException ex) {
                        throw new IllegalArgumentException("broker URL option " + param + " is not a number", ex);
                    }
                }
            }
        }
        return defaultValue;
    }

    /**
     * Connects.
     *
     * @param url           the broker.
     * @param leaseMs       the connection TTL in milliseconds.
     * @param blockingSends true to have each persistent send return only once the broker has journaled it.
     * @throws ForkliftException if the broker cannot be reached.
     */
    public BrokerConnection(final BrokerUrl url, final long leaseMs, final boolean blockingSends) {
        this.url = url;
        try {
            this.locator = ActiveMQClient.createServerLocator(url.artemisUrl());
        } catch (final Exception ex) {
            throw new ForkliftException("bad broker URL " + shown(url.artemisUrl()) + ": " + ex, ex);
        }
        locator.setReconnectAttempts(-1).setInitialConnectAttempts(5).setRetryInterval(200)
            .setRetryIntervalMultiplier(1.5).setMaxRetryInterval(2_000)
            .setConnectionTTL(leaseMs).setClientFailureCheckPeriod(Math.max(250, leaseMs / 3))
            .setCallTimeout(urlOption(url.artemisUrl(), "callTimeout", 30_000)).setConsumerWindowSize(0)
            .setBlockOnDurableSend(blockingSends).setBlockOnNonDurableSend(false).setBlockOnAcknowledge(false)
            .setConfirmationWindowSize(1 << 20)
            // chunks of a few hundred KiB stay ordinary journal records, not one file each (large messages)
            .setMinLargeMessageSize(MIN_LARGE_MESSAGE_BYTES).setUseGlobalPools(false).setThreadPoolMaxSize(8)
            .setScheduledThreadPoolMaxSize(2);
        try {
            this.factory = locator.createSessionFactory();
        } catch (final Exception ex) {
            locator.close();
            final boolean tls = url.artemisUrl().contains("sslEnabled=true");
            throw new ForkliftException("cannot reach the broker at " + shown(url.artemisUrl()) + ": " + ex
                + (tls ? " (with TLS: check that the broker uses TLS and that the trust store holds its certificate)"
                : " (if the broker uses TLS, add sslEnabled=true&trustStorePath=FILE&trustStorePassword=... to the URL)"),
                ex);
        }
        factory.addFailoverListener(event -> {
            if (event == FailoverEventType.FAILOVER_COMPLETED) {
                onReconnect.forEach(Runnable::run);
            }
        });
    }

    /** @param action run (on an Artemis thread) each time the connection is back after a loss. */
    public void onReconnect(final Runnable action) {
        onReconnect.add(action);
    }

    /**
     * @return a new session with automatic acknowledgement commits (each acknowledgement sent at once), started.
     * @throws ForkliftException if the broker refuses the credentials or is gone.
     */
    public ClientSession session() {
        try {
            final ClientSession session = factory.createSession(
                url.credentials() == null ? null : url.credentials().user(),
                url.credentials() == null ? null : url.credentials().password(), false, true, true, false, 0);
            session.start();
            return session;
        } catch (final ActiveMQSecurityException ex) {
            throw new ForkliftException("the broker at " + shown(url.artemisUrl()) + " refused the credentials ("
                + (url.credentials() == null ? "none given: add ?credentials=FILE to the URL or set "
                + dev.forklift.cluster.Credentials.FILE_ENV : "user " + url.credentials().user()) + "): "
                + ex.getMessage(), ex);
        } catch (final ActiveMQException ex) {
            throw new ForkliftException("cannot open a session on the broker at " + shown(url.artemisUrl()) + ": " + ex,
                ex);
        }
    }

    /**
     * Creates a durable anycast queue of that name (address of the same name) unless it exists.
     *
     * @param session a session of this connection.
     * @param name    the queue.
     * @throws ActiveMQException if the broker refuses.
     */
    public static void ensureQueue(final ClientSession session, final String name) throws ActiveMQException {
        if (session.queueQuery(SimpleString.of(name)).isExists()) {
            return;
        }
        try {
            session.createQueue(QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true).setAutoCreateAddress(true));
        } catch (final org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException raced) {
            // another process made it first
        }
    }

    /**
     * Creates the worker hosts' status queue (last value per host) unless it exists.
     *
     * @param session a session of this connection.
     * @throws ActiveMQException if the broker refuses.
     */
    public static void ensureHostsQueue(final ClientSession session) throws ActiveMQException {
        if (session.queueQuery(SimpleString.of(Protocol.HOSTS)).isExists()) {
            return;
        }
        try {
            session.createQueue(QueueConfiguration.of(Protocol.HOSTS).setAddress(Protocol.HOSTS)
                .setRoutingType(RoutingType.ANYCAST).setDurable(true).setLastValue(true).setAutoCreateAddress(true));
        } catch (final org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException raced) {
            // another host made it first
        }
    }

    /** @return the URL this connection was made with. */
    public BrokerUrl url() {
        return url;
    }

    @Override
    public void close() {
        try {
            factory.close();
        } finally {
            locator.close();
        }
    }
}
