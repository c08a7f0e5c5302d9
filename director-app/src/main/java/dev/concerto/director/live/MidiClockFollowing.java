package dev.concerto.director.live;

import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.score.Timeline;
import java.util.List;
import java.util.Objects;
import javax.sound.midi.MidiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the transport in a DAW's hands: a {@link MidiInput.Handler} that feeds a
 * {@link MidiClockFollower} and applies what it reports. Start plays from the first measure, Stop
 * pauses (so Continue goes on from there), Continue and Song Position Pointer move to the measure
 * of the DAW's position (its quarter note taken as the score's beat), a measured tempo is set on
 * the transport. Called on the MIDI system's thread; the transport's methods return at once.
 */
public final class MidiClockFollowing implements MidiInput.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(MidiClockFollowing.class);

    private final MidiClockFollower follower = new MidiClockFollower();
    private final Transport transport;
    private final Timeline timeline;

    public MidiClockFollowing(Transport transport, Timeline timeline) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.timeline = Objects.requireNonNull(timeline, "timeline");
    }

    @Override
    public synchronized void message(MidiMessage message, long arrivalNanos) {
        apply(follower.accept(message, arrivalNanos));
    }

    void apply(List<MidiClockFollower.Event> events) {
        for (MidiClockFollower.Event e : events) {
            if (e instanceof MidiClockFollower.Started) {
                transport.seekToMeasure(1);
                transport.play();
            } else if (e instanceof MidiClockFollower.Stopped) {
                transport.pause();
            } else if (e instanceof MidiClockFollower.Continued c) {
                transport.seekToMeasure(ScorePosition.measureAtBeats(timeline, c.quarterNotes()));
                if (transport.state().state() == PlayState.PAUSED) {
                    transport.resume();
                } else {
                    transport.play();
                }
            } else if (e instanceof MidiClockFollower.Positioned p) {
                transport.seekToMeasure(ScorePosition.measureAtBeats(timeline, p.quarterNotes()));
            } else if (e instanceof MidiClockFollower.TempoChanged t) {
                transport.setTempo(Math.max(1, Math.min(2_000, t.bpm())));
            }
        }
    }

    /** The tempo the DAW's clock runs at now (NaN before enough clocks). */
    public synchronized double tempoBpm() {
        return follower.tempoBpm();
    }

    @Override
    public void gone(String why) {
        LOG.warn("MIDI clock input: {}; the transport keeps its own time", why);
    }
}
