package dev.forklift.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A java.util.logging handler that keeps every record of one logger (and its children), for tests of what the
 * library reports through {@link System.Logger} (whose default backend is java.util.logging). Attach in a
 * try-with-resources: {@link #close()} detaches it and restores the logger's level and parent handlers. Keeps a
 * strong reference to the logger, so its level is not lost to garbage collection while attached.
 */
public final class RecordingHandler extends Handler implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final boolean previousUseParent;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private RecordingHandler(final Logger logger) {
        this.logger = logger;
        this.previousLevel = logger.getLevel();
        this.previousUseParent = logger.getUseParentHandlers();
    }

    /**
     * @param loggerName the logger to record, at every level.
     * @return the attached handler.
     */
    public static RecordingHandler attach(final String loggerName) {
        final RecordingHandler handler = new RecordingHandler(Logger.getLogger(loggerName));
        handler.logger.setLevel(Level.ALL);
        handler.logger.setUseParentHandlers(false); // keep the test's output free of the records
        handler.logger.addHandler(handler);
        return handler;
    }

    @Override
    public void publish(final LogRecord record) {
        records.add(record);
    }

    /** @return the records so far. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /**
     * @param level the level.
     * @return the formatted messages of the records at that level, in order.
     */
    public List<String> messages(final Level level) {
        final java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();
        return records.stream().filter(r -> r.getLevel().equals(level)).map(formatter::formatMessage)
            .collect(Collectors.toList());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
        logger.setUseParentHandlers(previousUseParent);
    }
}
