package dev.webhookhub.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log event of the JVM from {@code level} up, kept in memory while open (the console keeps printing only
 * warnings). Loggers the test configuration sets to a level of their own are left as they are.
 */
public final class LogCapture implements AutoCloseable {

    /** One captured event: logger, level, formatted message and the stack trace text of its throwable. */
    public record Line(String logger, Level level, String message, String thrown) {

        public String text() {
            return logger + " " + level + " " + message + (thrown == null ? "" : "\n" + thrown);
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context;
    private final Appender appender;
    private final Level previousRootLevel;
    private final List<Appender> rootAppenders;
    private final java.util.Map<LoggerConfig, Level> lowered = new java.util.HashMap<>();

    private LogCapture(Level level) {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                String thrown = null;
                if (event.getThrown() != null) {
                    StringWriter w = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(w));
                    thrown = w.toString();
                }
                lines.add(new Line(event.getLoggerName(), event.getLevel(),
                        event.getMessage().getFormattedMessage(), thrown));
            }
        };
        appender.start();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        previousRootLevel = root.getLevel();
        rootAppenders = List.copyOf(root.getAppenders().values());
        for (Appender a : rootAppenders) {
            root.removeAppender(a.getName());
            root.addAppender(a, Level.WARN, null);
        }
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(level);
        for (LoggerConfig lc : config.getLoggers().values()) {
            if (lc != root && lc.getLevel() != null && lc.getLevel().isMoreSpecificThan(level)
                    && lc.getName().startsWith("dev.webhookhub")) {
                lowered.put(lc, lc.getLevel());
                lc.setLevel(level);
            }
        }
        context.updateLoggers();
    }

    /** Starts capturing events at {@code level} and above. */
    public static LogCapture start(Level level) {
        return new LogCapture(level);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public String all() {
        return lines.stream().map(Line::text).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.removeAppender(appender.getName());
        for (Appender a : rootAppenders) {
            root.removeAppender(a.getName());
            root.addAppender(a, null, null);
        }
        root.setLevel(previousRootLevel);
        lowered.forEach(LoggerConfig::setLevel);
        context.updateLoggers();
        appender.stop();
    }
}
