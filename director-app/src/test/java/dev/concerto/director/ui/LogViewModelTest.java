package dev.concerto.director.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Runs without a JavaFX toolkit. */
class LogViewModelTest {

    private static LogBuffer.Line line(Level level, String message) {
        return new LogBuffer.Line(level, "12:00:00.000", "Test", message);
    }

    @Test
    void theLevelFilterHidesQuieterLines() {
        LogViewModel vm = new LogViewModel();
        vm.append(List.of(line(Level.DEBUG, "d"), line(Level.INFO, "i"), line(Level.WARN, "w"), line(Level.ERROR, "e")));
        assertThat(vm.shownLines()).extracting(LogBuffer.Line::message).containsExactly("i", "w", "e");
        vm.minimumLevelProperty().set(Level.WARN);
        assertThat(vm.shownLines()).extracting(LogBuffer.Line::message).containsExactly("w", "e");
        vm.minimumLevelProperty().set(Level.DEBUG);
        assertThat(vm.shownLines()).hasSize(4);
        vm.clear();
        assertThat(vm.shownLines()).isEmpty();
    }

    @Test
    void onlyTheLatestLinesAreKept() {
        LogViewModel vm = new LogViewModel();
        List<LogBuffer.Line> many = new ArrayList<>();
        for (int i = 0; i < LogViewModel.LIMIT + 10; i++) {
            many.add(line(Level.INFO, "m" + i));
        }
        vm.append(many);
        assertThat(vm.shownLines()).hasSize(LogViewModel.LIMIT);
        assertThat(vm.shownLines().get(0).message()).isEqualTo("m10");
    }

    @Test
    void theAppenderHandsEventsOverOnceAndDropsTheOldestBeyondItsCapacity() {
        Queue<Runnable> fx = new ArrayDeque<>();
        List<LogBuffer.Line> received = new ArrayList<>();
        LogBuffer buffer = new LogBuffer(fx::add, received::addAll);
        LoggerContext context = new LoggerContext();
        buffer.setContext(context);
        buffer.start();
        ch.qos.logback.classic.Logger logger = context.getLogger("dev.concerto.director.ui.Test");
        for (int i = 0; i < LogBuffer.CAPACITY + 5; i++) {
            buffer.doAppend(new LoggingEvent("x", logger, Level.INFO, "event {}", null, new Object[] {i}));
        }
        assertThat(fx).hasSize(1);
        fx.poll().run();
        assertThat(received).hasSize(LogBuffer.CAPACITY);
        assertThat(received.get(0).message()).isEqualTo("event 5");
        assertThat(received.get(0).logger()).isEqualTo("Test");
        assertThat(received.get(0).level()).isEqualTo(Level.INFO);
    }
}
