package dev.concerto.director.score;

import static dev.concerto.director.score.ScoreCompiler.fmt;

import dev.concerto.director.score.CompileContext.RawNote;
import dev.concerto.director.score.ScoreDocument.VoiceSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns the notes the notations collected (in beats) into a {@link Timeline} (in seconds through
 * the tempo map): sorts each voice, checks that it is monophonic and used, snaps to the beat grid
 * and lays out the measures by the time signatures. Stateless; thread-safe.
 *
 * <p>A note's {@code startSeconds + durationSeconds} is never less than the start of a note that
 * follows it without a rest, so a sender comparing them exactly sees no gap.
 */
final class TimelineBuilder {

    private TimelineBuilder() {
    }

    static Timeline build(ScoreDocument doc, CompileContext ctx, TempoMap tempo, MeterMap meters, double cursor)
            throws ScoreException {
        List<VoiceTimeline> out = new ArrayList<>();
        double total = TempoMap.snap(cursor);
        int vi = 0;
        for (Map.Entry<String, List<RawNote>> e : ctx.notesByVoice().entrySet()) {
            List<RawNote> raw = new ArrayList<>(e.getValue());
            if (raw.isEmpty()) {
                throw ctx.err(FieldPath.ROOT.field("voices").index(vi), "voice '" + e.getKey() + "' is declared but never used");
            }
            raw.sort(Comparator.comparingDouble((RawNote r) -> TempoMap.snap(r.startBeats())).thenComparingLong(RawNote::seq));
            List<TimedNote> notes = new ArrayList<>(raw.size());
            RawNote lastSounding = null;
            for (RawNote r : raw) {
                if (r.hz() > 0) {
                    if (lastSounding != null && r.startBeats() < lastSounding.endBeats() - TempoMap.BEAT_GRID) {
                        throw ctx.err(r.where(), "voice '" + e.getKey() + "' is monophonic but " + r.name() + " at beat "
                                + fmt(r.startBeats()) + " starts before " + lastSounding.name() + " (beat "
                                + fmt(lastSounding.startBeats()) + ") ends at beat " + fmt(lastSounding.endBeats()));
                    }
                    lastSounding = r;
                }
                notes.add(timed(r, tempo));
                total = Math.max(total, TempoMap.snap(r.endBeats()));
            }
            VoiceSpec spec = ctx.spec(e.getKey());
            out.add(new VoiceTimeline(e.getKey(), notes, spec.optional() != null && spec.optional()));
            vi++;
        }
        if (total > ScoreCompiler.MAX_BEATS) {
            throw ctx.err(FieldPath.ROOT.field("parts"), "the piece lasts " + fmt(total) + " beats, more than "
                    + fmt(ScoreCompiler.MAX_BEATS));
        }
        List<Double> mBeats = meters.measureStarts(total);
        List<Double> mSeconds = new ArrayList<>(mBeats.size());
        for (double b : mBeats) {
            mSeconds.add(tempo.seconds(b));
        }
        return new Timeline(doc.title(), doc.composer() == null ? "" : doc.composer(), tempo.startBpm(),
                out, tempo.seconds(total), total, mSeconds, mBeats);
    }

    /**
     * A note on the beat grid, in seconds. Snapping makes a note's end and the next note's start,
     * reached by different sums (e.g. 2/3 + 1/3 and 1), the same double; the duration is then
     * widened by an ulp where needed so that start + duration reaches that instant exactly: a
     * sender comparing "next start <= this end" must not see a spurious gap.
     */
    private static TimedNote timed(RawNote r, TempoMap tempo) {
        double sb = TempoMap.snap(r.startBeats());
        double eb = TempoMap.snap(r.endBeats());
        double s = tempo.seconds(sb);
        double e = tempo.seconds(eb);
        double d = Math.max(0, e - s);
        while (s + d < e) {
            d = Math.nextUp(d);
        }
        double db = Math.max(0, eb - sb);
        while (sb + db < eb) {
            db = Math.nextUp(db);
        }
        return new TimedNote(s, d, sb, db, r.hz(), r.name());
    }
}
