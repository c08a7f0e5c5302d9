package dev.concerto.protocol.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The limiter on a fake clock: times are plain numbers of nanoseconds. */
class RateLimitedLogTest {

    enum Problem { MALFORMED, TOO_LONG }

    private static final long SECOND = 1_000_000_000L;

    private final Logger logger = (Logger) LoggerFactory.getLogger("test.rate-limited." + System.identityHashCode(this));
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
        logger.setAdditive(false);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void theFirstEventOfAKeyIsLoggedAndTheRestOfTheIntervalIsCounted() {
        RateLimitedLog<Problem> log = RateLimitedLog.perKey(logger, Problem.class, 10 * SECOND);
        assertThat(log.admit(Problem.MALFORMED, 0)).isZero();
        assertThat(log.admit(Problem.MALFORMED, 1)).isEqualTo(RateLimitedLog.SUPPRESSED);
        assertThat(log.admit(Problem.MALFORMED, 5 * SECOND)).isEqualTo(RateLimitedLog.SUPPRESSED);
        assertThat(log.admit(Problem.MALFORMED, 10 * SECOND - 1)).isEqualTo(RateLimitedLog.SUPPRESSED);
        assertThat(log.admit(Problem.MALFORMED, 10 * SECOND)).as("one interval later, with the count").isEqualTo(3);
        assertThat(log.admit(Problem.MALFORMED, 30 * SECOND)).as("the count starts again").isZero();
    }

    @Test
    void keysAreLimitedApart() {
        RateLimitedLog<Problem> log = RateLimitedLog.perKey(logger, Problem.class, SECOND);
        assertThat(log.admit(Problem.MALFORMED, 100)).isZero();
        assertThat(log.admit(Problem.TOO_LONG, 101)).as("another key is not held back").isZero();
        assertThat(log.admit(Problem.MALFORMED, 102)).isEqualTo(RateLimitedLog.SUPPRESSED);
        assertThat(log.admit(Problem.TOO_LONG, 100 + SECOND + 1)).isZero();
        assertThat(log.admit(Problem.MALFORMED, 100 + SECOND)).isEqualTo(1);
    }

    @Test
    void anyStartingTimeWorksIncludingNegativeNanoTimes() {
        RateLimitedLog<RateLimitedLog.Only> log = RateLimitedLog.single(logger, SECOND);
        long t = Long.MIN_VALUE + 1; // System.nanoTime() may be any value, negative too
        assertThat(log.admit(t)).isZero();
        assertThat(log.admit(t + SECOND - 1)).isEqualTo(RateLimitedLog.SUPPRESSED);
        assertThat(log.admit(t + SECOND)).isEqualTo(1);
        RateLimitedLog<RateLimitedLog.Only> wrapping = RateLimitedLog.single(logger, SECOND);
        long late = Long.MAX_VALUE - 10; // nanoTime differences, not values, are compared: it may wrap
        assertThat(wrapping.admit(late)).isZero();
        assertThat(wrapping.admit(late + 20)).isEqualTo(RateLimitedLog.SUPPRESSED);
        assertThat(wrapping.admit(late + SECOND)).isEqualTo(1);
    }

    @Test
    void logWritesOneLineAtItsLevelEndingWithTheSuppressedCount() {
        RateLimitedLog<Problem> log = RateLimitedLog.perKey(logger, Problem.class, SECOND);
        assertThat(log.log(Problem.MALFORMED, 0, Level.WARN, "dropped {} from {}", "x", "127.0.0.1:9")).isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(log.log(Problem.MALFORMED, 10 + i, Level.WARN, "dropped {} from {}", "y", "127.0.0.1:9")).isFalse();
        }
        assertThat(log.log(Problem.MALFORMED, SECOND, Level.INFO, "dropped {} from {}", "z", "127.0.0.1:9")).isTrue();
        List<String> text = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(text).containsExactly("dropped x from 127.0.0.1:9",
                "dropped z from 127.0.0.1:9 (4 more since the last report)");
        assertThat(lines.list.get(0).getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        assertThat(lines.list.get(1).getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
    }

    @Test
    void aSingleSubjectLogWarns() {
        RateLimitedLog<RateLimitedLog.Only> log = RateLimitedLog.single(logger, 5 * SECOND);
        assertThat(log.warn(0, "port unreachable at {}", "127.0.0.1:9")).isTrue();
        assertThat(log.warn(SECOND, "port unreachable at {}", "127.0.0.1:9")).isFalse();
        assertThat(lines.list).hasSize(1);
        assertThat(log.intervalSeconds()).isEqualTo(5);
        assertThat(log.intervalNanos()).isEqualTo(5 * SECOND);
        assertThat(log.logger()).isSameAs(logger);
    }

    @Test
    void moreSinceSaysNothingForNone() {
        assertThat(RateLimitedLog.moreSince(0)).isEmpty();
        assertThat(RateLimitedLog.moreSince(1)).isEqualTo(" (1 more since the last report)");
    }

    @Test
    void theIntervalMustBePositive() {
        assertThatThrownBy(() -> RateLimitedLog.single(logger, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval");
    }

    @Test
    void aSuppressedEventAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RateLimitedLog<Problem> log = RateLimitedLog.perKey(logger, Problem.class, Long.MAX_VALUE);
        log.admit(Problem.MALFORMED, 0);
        long sink = 0;
        for (int i = 0; i < 20_000; i++) { // warm up, so the measured loop runs compiled code
            sink += log.admit(Problem.MALFORMED, i);
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            sink += log.admit(Problem.MALFORMED, i);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(sink).isEqualTo(-120_000);
        // 100,000 events: even 8 bytes each would be 800 kB; the bound leaves room for the probe itself.
        assertThat(allocated).as("bytes allocated by 100,000 suppressed events").isLessThan(4_096);
    }
}
