package dev.concerto.player.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concerto.player.os.LibC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The audio thread's real-time request: granted (root, CAP_SYS_NICE, rtprio) or refused with a reason; either way only that thread. */
class RealtimeAudioTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void theOutcomeSaysWhatTheThreadGotAndOnlyThatThreadChanges() throws Exception {
        AtomicReference<RealtimeAudio.Outcome> outcome = new AtomicReference<>();
        AtomicInteger policy = new AtomicInteger(-2);
        Thread t = new Thread(() -> {
            outcome.set(RealtimeAudio.requestForCurrentThread());
            policy.set(RealtimeAudio.currentPolicy());
        }, "audio-test");
        t.start();
        t.join(5_000);

        RealtimeAudio.Outcome o = outcome.get();
        assertEquals(o.realtime() ? LibC.SCHED_RR : 0, policy.get(), o.text());
        assertTrue(o.realtime() ? o.text().contains("SCHED_RR " + RealtimeAudio.PRIORITY)
                : o.text().startsWith("audio thread at normal priority ("), o.text());
        assertEquals(0, RealtimeAudio.currentPolicy(), "the asking thread alone changes");
    }

    @Test
    void soundServerClientThreadsAreFoundByNameInTheTaskDirectory(@TempDir Path proc) throws Exception {
        task(proc, "101", "threaded-ml\n");
        task(proc, "102", "java\n");
        task(proc, "103", "threaded-ml\n");
        Files.createDirectories(proc.resolve("104")); // ended between the listing and the read: no comm
        Files.createDirectories(proc.resolve("self"));

        List<Integer> found = RealtimeAudio.threadsNamed(proc, RealtimeAudio.SOUND_SERVER_CLIENT_THREAD);

        assertEquals(List.of(101, 103), found.stream().sorted().toList());
        assertEquals(List.of(), RealtimeAudio.threadsNamed(proc.resolve("missing"), "threaded-ml"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aRealClientThreadGetsTheWritersPriorityWherePermitted() throws Exception {
        // A thread of this process named as libpulse names its client thread (the JVM gives a Java
        // thread's name to the OS thread).
        CountDownLatch named = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread client = new Thread(() -> {
            named.countDown();
            try {
                done.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, RealtimeAudio.SOUND_SERVER_CLIENT_THREAD);
        client.start();
        try {
            named.await();
            List<Integer> tids = RealtimeAudio.threadsNamed(Path.of("/proc/self/task"),
                    RealtimeAudio.SOUND_SERVER_CLIENT_THREAD);
            assertTrue(!tids.isEmpty(), "the test's thread, by name");

            int moved = RealtimeAudio.requestForSoundServerClientThreads();

            AtomicReference<Boolean> permitted = new AtomicReference<>();
            Thread probe = new Thread(() -> permitted.set(RealtimeAudio.requestForCurrentThread().realtime()));
            probe.start();
            probe.join(5_000);
            // (a line another test opened in this JVM may have left a client thread of its own)
            assertEquals(permitted.get() ? tids.size() : 0, moved);
            for (int tid : tids) {
                assertEquals(permitted.get() ? LibC.SCHED_RR : 0, LibC.sched_getscheduler(tid));
            }
        } finally {
            done.countDown();
            client.join(5_000);
        }
    }

    private static void task(Path proc, String id, String comm) throws Exception {
        Files.createDirectories(proc.resolve(id));
        Files.writeString(proc.resolve(id).resolve("comm"), comm);
    }
}
