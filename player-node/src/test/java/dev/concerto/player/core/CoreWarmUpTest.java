package dev.concerto.player.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoreWarmUpTest {

    @Test
    void warmUpRunsTheTonePathOnACopyAndLeavesTheCoreUntouched() {
        CoreHarness h = new CoreHarness(CoreHarness.settings(), 5_000_000);
        long sounded = h.core.warmUp(50);
        // Each round: a timed tone, its silence, and every 16th round a plain integer.
        assertTrue(sounded >= 100, "the copy handled tones: " + sounded);
        assertEquals(0, h.core.counters().datagrams());
        assertEquals(0, h.core.counters().timedTones());
        assertTrue(h.handed.isEmpty() && h.replies.isEmpty() && h.events.isEmpty(), "no effect on the real shell");
    }

    @Test
    void aKeyedCoreWarmsItsSignedPathToo() {
        long sounded = CoreWarmUp.run(CoreHarness.keyed(), 20);
        assertTrue(sounded >= 40, "signed warm-up tones were accepted: " + sounded);
    }

    @Test
    void aRestrictedAllowListDoesNotStopTheWarmUp() {
        PlayerCore.Settings onlyTen = new PlayerCore.Settings("p", a -> a[0] == 10, null, 0, PlayerLimits.DEFAULTS,
                23_999, false);
        assertTrue(CoreWarmUp.run(onlyTen, 10) >= 20);
    }
}
