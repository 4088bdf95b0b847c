package dev.forklift.cluster.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The default level of the broker's and its client's log records in the processes Forklift runs itself (the
 * {@code forklift} command, a local cluster's broker, a worker host), where Artemis logs through SLF4J into
 * java.util.logging: WARNING and above are printed, so that an operator sees what goes wrong; the broker's INFO
 * records are start-up chatter and an audit line for every message sent and acknowledged (thousands a second,
 * each formatted). Nothing is set when the user configured java.util.logging ({@code java.util.logging.config.file}
 * or {@code .class}), which then decides. Applications that use the cluster library choose their own logging;
 * nothing here runs in them.
 *
 * <p>Called once, first thing, by the main method of such a process. Internal; not API.
 */
public final class ArtemisLogging {
    /** Held so that the levels set here are not lost when the loggers are garbage-collected. */
    private static Logger broker;
    private static Logger network;

    private ArtemisLogging() {
    }

    /** @return true when the user configured java.util.logging (a config file or class): then it decides. */
    public static boolean userConfigured() {
        return System.getProperty("java.util.logging.config.file") != null
            || System.getProperty("java.util.logging.config.class") != null;
    }

    /** Sets {@code org.apache.activemq} and {@code io.netty} to WARNING unless java.util.logging was configured. */
    public static synchronized void quietUnlessConfigured() {
        if (userConfigured()) {
            return;
        }
        broker = Logger.getLogger("org.apache.activemq");
        broker.setLevel(Level.WARNING);
        network = Logger.getLogger("io.netty");
        network.setLevel(Level.WARNING);
    }
}
