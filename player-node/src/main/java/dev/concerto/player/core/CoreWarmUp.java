package dev.concerto.player.core;

import dev.concerto.protocol.Clock;
import dev.concerto.protocol.LegacyCodec;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;

/**
 * Runs a player's protocol path on a throwaway {@link PlayerCore} before the player says it is
 * ready, so the first real datagrams do not pay for class loading, the first lambdas and records'
 * bootstrap methods and interpreted code. Measured on the {@code listen} bench (4 player JVMs and a
 * starting director on 2 cores): the first timed tone of a piece took 100–140 ms from its arrival to
 * the audio thread's queue, arrived there after its frame and sounded 20–140 ms late, a flam on the
 * first chord of every run; later tones take microseconds.
 *
 * <p>The throwaway core has the real core's settings (so a key's signing and checking is warmed
 * too) but accepts any source, runs on its own simulated clock and its effects go nowhere: nothing
 * sounds, nothing is sent, nothing is counted on the real core. Pure; thread-safe (each call has its
 * own core).
 */
public final class CoreWarmUp {

    /** Rounds a player runs at start: enough for the JIT's first tier to compile the path. */
    public static final int DEFAULT_ROUNDS = 1000;
    /** Simulated time between rounds, µs. */
    private static final long ROUND_MICROS = 100_000;

    private CoreWarmUp() {
    }

    /**
     * Feeds {@code rounds} rounds (a sync request, a timed tone, its silence, now and then a plain
     * integer when no key is set, time passing) through a throwaway core with {@code settings}.
     *
     * @return the tone changes the throwaway core asked to sound (for tests: the tone path ran)
     */
    public static long run(PlayerCore.Settings settings, int rounds) {
        SimulatedClock clock = new SimulatedClock();
        PlayerCore core = new PlayerCore(new PlayerCore.Settings(settings.name() + " (warm-up)", SourceFilter.ANYONE,
                settings.auth(), settings.watchdogSeconds(), settings.limits(), settings.maxHz(), settings.events()),
                clock, micros -> micros * 48 / 1000);
        Discard fx = new Discard();
        Peer peer = new Peer(new byte[] {127, 0, 0, 1}, 9, "127.0.0.1:9");
        byte[] plain = LegacyCodec.encode(440);
        long seq = 1;
        for (int i = 0; i < rounds; i++) {
            long now = 1_000_000 + i * ROUND_MICROS;
            clock.micros = now;
            byte[] sync = TimedCodec.encode(new TimedMessage.SyncRequest(seq, now), settings.auth());
            core.receive(sync, 0, sync.length, peer, now, fx);
            byte[] on = TimedCodec.encode(new TimedMessage.Tone(seq++, now + 40_000, 440_000, 500), settings.auth());
            core.receive(on, 0, on.length, peer, now + 10, fx);
            byte[] off = TimedCodec.encode(new TimedMessage.Tone(seq++, now + 60_000, 0, 500), settings.auth());
            core.receive(off, 0, off.length, peer, now + 20, fx);
            if (i % 16 == 0 && settings.auth() == null) { // keyed players refuse plain integers, with a warning
                core.receive(plain, 0, plain.length, peer, now + 30, fx);
            }
            core.tick(now + 80_000, fx);
        }
        return fx.sounds;
    }

    /** Effects that go nowhere, counting the changes. */
    private static final class Discard implements PlayerEffects {
        long sounds;

        @Override
        public void sound(ToneChange change) {
            sounds++;
        }

        @Override
        public void withdraw(ToneChange change) {
        }

        @Override
        public void reply(byte[] datagram) {
        }

        @Override
        public void event(PlayerEvent event) {
        }
    }

    /** The throwaway core's clock: the round's time, not the machine's. */
    private static final class SimulatedClock implements Clock {
        volatile long micros;

        @Override
        public long nanoTime() {
            return micros * 1000;
        }

        @Override
        public long epochMicros() {
            return micros;
        }
    }
}
