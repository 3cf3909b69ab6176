package io.loomzk.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures the lines a logger tree writes (LoomZK logs through {@link System.Logger}, which the
 * JDK backs with {@code java.util.logging} unless an application installs another backend), for
 * tests that check a warning was logged, or that a secret never was:
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.start("io.loomzk", Level.ALL)) {
 *     runTheCode();
 *     assertThat(log.lines()).noneMatch(line -> line.contains(secret));
 * }
 * }</pre>
 *
 * <p>Thread-safe: lines may come from any thread while a test reads them.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level levelBefore;
    private final Handler handler;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger, Level level) {
        this.logger = logger;
        this.levelBefore = logger.getLevel();
        SimpleFormatter format = new SimpleFormatter();
        this.handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    lines.add(format.format(record));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        handler.setLevel(Level.ALL);
        if (level != null) {
            logger.setLevel(level);
        }
        logger.addHandler(handler);
    }

    /**
     * Starts capturing what {@code loggerName} and the loggers below it log.
     *
     * @param level the level to set on that logger while capturing (restored by {@link #close}),
     *     or null to leave it as configured
     */
    public static LogCapture start(String loggerName, Level level) {
        return new LogCapture(Logger.getLogger(loggerName), level);
    }

    /** The lines captured so far, formatted as {@link SimpleFormatter} does (level and message included). */
    public List<String> lines() {
        return lines;
    }

    /** Stops capturing and restores the logger's level. Lines captured stay readable. */
    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(levelBefore);
    }
}
