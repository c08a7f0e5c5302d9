package dev.concerto.player.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concerto.player.os.LibC;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

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
}
