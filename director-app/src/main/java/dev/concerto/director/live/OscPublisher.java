package dev.concerto.director.live;

import com.illposed.osc.OSCBundle;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCPacket;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.score.Timeline;
import java.util.List;
import java.util.Locale;

/**
 * What subscribers hear, as OSC packets (the address space is in {@code docs/osc.md}). Pure;
 * thread-safe (stateless).
 */
public final class OscPublisher {

    public static final String STATE = OscAddressSpace.PREFIX + "state";
    public static final String TEMPO = OscAddressSpace.PREFIX + "tempo";
    public static final String POSITION = OscAddressSpace.PREFIX + "position";
    public static final String SOUNDING = OscAddressSpace.PREFIX + "sounding";

    private OscPublisher() {
    }

    /** {@code /concerto/state s} and {@code /concerto/tempo f}: sent on every change of state. */
    public static List<OSCPacket> transport(TransportState s) {
        return List.of(new OSCMessage(STATE, List.of(s.state().name().toLowerCase(Locale.ROOT))),
                new OSCMessage(TEMPO, List.of((float) s.tempoBpm())));
    }

    /** {@code /concerto/position i f}: the 1-based measure and the beat in it (1.0 = downbeat). */
    public static OSCPacket position(TransportState s, Timeline t) {
        double beat = t == null ? 1 : ScorePosition.beatInMeasure(t, s.measure(), s.positionSeconds());
        return new OSCMessage(POSITION, List.of(s.measure(), (float) beat));
    }

    /**
     * {@code /concerto/sounding s s f} (player, voice, hz; 0 = silence) in a bundle time-tagged with
     * when it sounds, so a follower can schedule it for the same moment.
     *
     * @param dueEpochMicros when it sounds, wall clock µs since 1970
     */
    public static OSCPacket sounding(String player, String voice, double hz, long dueEpochMicros) {
        OSCMessage m = new OSCMessage(SOUNDING, List.of(player, voice == null ? "" : voice, (float) hz));
        return new OSCBundle(List.of(m), NtpTime.tag(dueEpochMicros));
    }
}
