package dev.concerto.director.engine;

import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import dev.concerto.protocol.LegacyCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Timeline} flattened into the datagrams it asks for, in the order they are due: what the
 * scheduler walks. Immutable and thread-safe once built.
 *
 * <p>The send rules of {@link TimedNote}: each note sends its frequency at its start; a sounding
 * note also sends silence at its end unless the next event of the same voice starts at or before
 * that end (a legato line never gaps). A silence note ({@code hz == 0}) sends 0 at its start and
 * nothing at its end. Events due at the same time are ordered by voice (score order), then by their
 * order within the voice, so equal-start events of one voice keep the order the score gave them.
 */
final class SendPlan {

    /**
     * One datagram per player of a voice, due at a score time.
     *
     * @param scoreSeconds when it is due, in seconds at the score's own tempo
     * @param voice        index of the voice in {@link Timeline#voices()}
     * @param hz           the frequency, exact (not rounded: only the plain-integer stream rounds); 0 for silence
     * @param name         the note's name for display ("" for silence)
     * @param endSeconds   when the voice's next event is due (score seconds), or
     *                     {@link Double#POSITIVE_INFINITY} when it has none: how long this change holds
     */
    record Event(double scoreSeconds, int voice, double hz, String name, double endSeconds) {
        Event(double scoreSeconds, int voice, double hz, String name) {
            this(scoreSeconds, voice, hz, name, Double.POSITIVE_INFINITY);
        }
    }

    private final Event[] events;
    private final double[] eventSeconds;

    SendPlan(Timeline timeline) {
        List<VoiceTimeline> voices = timeline.voices();
        record Keyed(Event event, int voice, int order) {
        }
        List<Keyed> keyed = new ArrayList<>();
        for (int v = 0; v < voices.size(); v++) {
            VoiceTimeline voice = voices.get(v);
            List<TimedNote> notes = voice.notes();
            int order = 0;
            for (int i = 0; i < notes.size(); i++) {
                TimedNote note = notes.get(i);
                double hz = checkedHz(voice, i, note);
                keyed.add(new Keyed(new Event(note.startSeconds(), v, hz, hz == 0 ? "" : note.name()), v, order++));
                boolean nextStartsByEnd = i + 1 < notes.size()
                        && notes.get(i + 1).startSeconds() <= note.endSeconds();
                if (hz != 0 && !nextStartsByEnd) {
                    keyed.add(new Keyed(new Event(note.endSeconds(), v, 0, ""), v, order++));
                }
            }
        }
        keyed.sort(Comparator.comparingDouble((Keyed k) -> k.event().scoreSeconds())
                .thenComparingInt(Keyed::voice).thenComparingInt(Keyed::order));
        events = keyed.stream().map(Keyed::event).toArray(Event[]::new);
        double[] nextOfVoice = new double[voices.size()];
        Arrays.fill(nextOfVoice, Double.POSITIVE_INFINITY);
        for (int i = events.length - 1; i >= 0; i--) {
            Event e = events[i];
            events[i] = new Event(e.scoreSeconds(), e.voice(), e.hz(), e.name(), nextOfVoice[e.voice()]);
            nextOfVoice[e.voice()] = e.scoreSeconds();
        }
        eventSeconds = Arrays.stream(events).mapToDouble(Event::scoreSeconds).toArray();
    }

    private static double checkedHz(VoiceTimeline voice, int index, TimedNote note) {
        double hz = note.hz();
        if (hz != 0 && !(hz >= LegacyCodec.MIN_HZ && hz <= LegacyCodec.MAX_HZ)) {
            throw new IllegalArgumentException("voice '" + voice.name() + "', note " + (index + 1) + " ("
                    + note.name() + "): " + note.hz() + " Hz is outside " + LegacyCodec.MIN_HZ + ".."
                    + LegacyCodec.MAX_HZ + " Hz");
        }
        return hz;
    }

    int size() {
        return events.length;
    }

    Event event(int index) {
        return events[index];
    }

    /** Index of the first event due at or after {@code scoreSeconds}; {@link #size()} when none. */
    int firstAtOrAfter(double scoreSeconds) {
        int lo = 0;
        int hi = events.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (eventSeconds[mid] < scoreSeconds) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The last event of a voice before index {@code before}: what the voice sounds once every event
     * before that index has been sent; {@code null} when there is none (the voice is silent).
     */
    Event lastOfVoiceBefore(int voice, int before) {
        for (int i = Math.min(before, events.length) - 1; i >= 0; i--) {
            if (events[i].voice() == voice) {
                return events[i];
            }
        }
        return null;
    }

    /** Whether the voice has an event at index {@code from} or later that is due exactly at {@code scoreSeconds}. */
    boolean voiceHasEventAt(int voice, int from, double scoreSeconds) {
        for (int i = Math.max(from, 0); i < events.length && eventSeconds[i] <= scoreSeconds; i++) {
            if (eventSeconds[i] == scoreSeconds && events[i].voice() == voice) {
                return true;
            }
        }
        return false;
    }
}
