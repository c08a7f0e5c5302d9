package dev.concerto.director.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.Timelines;
import dev.concerto.director.engine.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live notes handed to the engine from other threads ({@link DirectorEngine#liveNote},
 * {@link DirectorEngine#silenceAll}) are written by the scheduler thread alone: the design rule
 * "one thread writes each socket" holds with live input.
 */
class DirectorEngineLiveTest {

    @Test
    void liveNotesFromManyThreadsAreWrittenByTheSchedulerThreadOnly() throws Exception {
        VirtualTime time = new VirtualTime();
        Set<String> writers = ConcurrentHashMap.newKeySet();
        int notes = 4 * 50;
        CountDownLatch allNotes = new CountDownLatch(notes);
        RecordingSink a = new RecordingSink("a", "v", time);
        RecordingSink b = new RecordingSink("b", "v", time);
        a.onSend(n -> {
            writers.add(Thread.currentThread().getName());
            allNotes.countDown();
        });
        b.onSend(n -> {
            writers.add(Thread.currentThread().getName());
            allNotes.countDown();
        });
        Roster roster = new Roster("test", List.of(a.entry(), b.entry()));
        DirectorEngine engine = DirectorEngine.builder(Timelines.of(1, Timelines.voice("v")), roster)
                .sinks(List.of(a, b)).clock(time).waiter(time).shutdownHook(false).build();
        try {
            List<Thread> inputs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int player = t % 2;
                Thread input = new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        engine.liveNote(player, 200 + i + 0.25, time.nanoTime());
                    }
                }, "live-input-" + t);
                inputs.add(input);
                input.start();
            }
            for (Thread input : inputs) {
                input.join(10_000);
            }
            assertThat(allNotes.await(10, TimeUnit.SECONDS)).isTrue();
            engine.silenceAll();
            assertThat(engine.awaitState(s -> s.players().stream().allMatch(p -> p.hz() == 0),
                    java.time.Duration.ofSeconds(10))).isTrue();
        } finally {
            engine.close();
        }
        assertThat(writers).containsExactly("concerto-scheduler");
        assertThat(a.sent().stream().filter(s -> s.hz() != 0).count()).isEqualTo(100);
        assertThat(a.sent().stream().filter(s -> s.hz() != 0)).allSatisfy(s -> assertThat(s.hz()).isBetween(200, 249));
        assertThat(a.sent().get(a.sent().size() - 1).hz()).isZero();
        assertThat(engine.state().state()).isEqualTo(PlayState.STOPPED);
    }
}
