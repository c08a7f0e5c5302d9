package dev.concerto.director.live;

import com.illposed.osc.BufferBytesReceiver;
import com.illposed.osc.OSCBundle;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCSerializerAndParserBuilder;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockPair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.ShortMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the live path once before the first key, so its first note is not the one that pays for
 * loading and first running its code. Measured on the 2-core development VM: without it the first
 * notes of a session were handed to the players 5–17 ms late at a load of 10 (hundreds of ms at a
 * load of 20), against a 20 ms lead; the first OSC bundle up to 0.6 s late.
 *
 * <p>It parses a time-tagged OSC bundle with a throwaway inbox, plays a note-on, its note-off and an
 * OSC note through a throwaway allocator and conductor, and hands every real player a silence
 * through the session's {@link LiveNoteSink} (the engine's scheduler thread then writes one silent
 * datagram per player: the players stay silent). Nothing of it is counted in the session's figures.
 */
final class LiveWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(LiveWarmUp.class);

    private LiveWarmUp() {
    }

    /** Runs it; a failure is logged, never thrown (warming up is not worth failing a session for). */
    static void run(LiveNoteSink sink, LiveOptions options, Clock clock) {
        try {
            oscInbox(clock);
            conductor(sink, options, clock);
            long now = clock.nanoTime();
            for (int p = 0; p < sink.playerCount(); p++) {
                sink.sound(p, 0, now + sink.leadNanos(p));
            }
        } catch (Exception | LinkageError e) {
            LOG.debug("warming up the live path: {}", e.toString());
        }
    }

    private static void oscInbox(Clock clock) throws Exception {
        ClockPair now = ClockPair.read(clock);
        ByteBuffer b = ByteBuffer.allocate(512);
        new OSCSerializerAndParserBuilder().buildSerializer(new BufferBytesReceiver(b)).write(new OSCBundle(
                List.of(new OSCMessage("/concerto/note", List.of("warm-up", 440f, 0.1f))),
                NtpTime.tag(now.epochMicros() + 100_000)));
        b.flip();
        new OscInbox(1_000_000_000L).read(b, now.nanos(), now.epochMicros());
    }

    private static void conductor(LiveNoteSink real, LiveOptions options, Clock clock) throws Exception {
        List<String> names = new ArrayList<>();
        for (int p = 0; p < real.playerCount(); p++) {
            names.add(real.playerName(p));
        }
        LiveNoteSink discard = new LiveNoteSink() {
            @Override
            public int playerCount() {
                return real.playerCount();
            }

            @Override
            public String playerName(int player) {
                return real.playerName(player);
            }

            @Override
            public String playerVoice(int player) {
                return real.playerVoice(player);
            }

            @Override
            public long leadNanos(int player) {
                return real.leadNanos(player);
            }

            @Override
            public void sound(int player, double hz, long dueNanos) {
            }

            @Override
            public void silenceAll() {
            }
        };
        LiveConductor c = new LiveConductor(new VoiceAllocator(options.voices(names), options.policy(), options.overflow(),
                options.mapping()), discard, command -> { });
        long now = clock.nanoTime();
        c.onMidi(new ShortMessage(ShortMessage.NOTE_ON, 0, 60, 90), now);
        c.onMidi(new ShortMessage(ShortMessage.NOTE_OFF, 0, 60, 0), now);
        c.onOsc(new OscInbox.Scheduled(new OscCommand.Note(real.playerVoice(0), 440, 0.1), now, true));
        c.runDue(now);
        c.runDue(now + 1_000_000_000L);
    }
}
