package dev.concerto.director.ui;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * A Logback appender that keeps the latest log events for the log pane. Appending (any thread) only
 * queues the event and, when none is pending, asks the FX thread once to drain the queue; the queue
 * holds at most {@link #CAPACITY} events, dropping the oldest, so a burst of logging can neither
 * block a logging thread nor grow without bound.
 */
public final class LogBuffer extends AppenderBase<ILoggingEvent> {

    /** Events kept between two drains. */
    public static final int CAPACITY = 2000;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** One log line as the pane shows it. */
    public record Line(Level level, String time, String logger, String message) {
        @Override
        public String toString() {
            return time + " " + level + " " + logger + " - " + message;
        }
    }

    private final ConcurrentLinkedQueue<Line> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private final FxDispatcher fx;
    private final Consumer<List<Line>> sink;

    /** @param sink receives drained lines on the FX thread, oldest first */
    public LogBuffer(FxDispatcher fx, Consumer<List<Line>> sink) {
        this.fx = fx;
        this.sink = sink;
        setName("concerto-ui-log");
    }

    /** Attaches a started buffer to Logback's root logger; returns it (detach with {@link #detach()}). */
    public LogBuffer attachToRoot() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            setContext(context);
            start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(this);
        }
        return this;
    }

    public void detach() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(this);
        }
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String logger = event.getLoggerName();
        String shortName = logger.substring(logger.lastIndexOf('.') + 1);
        String message = event.getFormattedMessage();
        if (event.getThrowableProxy() != null) {
            message += " (" + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage() + ")";
        }
        queue.add(new Line(event.getLevel(), TIME.format(Instant.ofEpochMilli(event.getTimeStamp())), shortName, message));
        if (size.incrementAndGet() > CAPACITY && queue.poll() != null) {
            size.decrementAndGet();
        }
        if (drainPending.compareAndSet(false, true)) {
            fx.dispatch(this::drain);
        }
    }

    private void drain() {
        drainPending.set(false);
        List<Line> lines = new ArrayList<>();
        Line line;
        while ((line = queue.poll()) != null) {
            size.decrementAndGet();
            lines.add(line);
        }
        if (!lines.isEmpty()) {
            sink.accept(lines);
        }
    }
}
