package dev.concerto.director.score;

import static dev.concerto.director.score.ScoreCompiler.fmt;

import dev.concerto.director.score.CompileContext.RawNote;
import dev.concerto.director.score.ScoreDocument.EventSpec;
import dev.concerto.director.score.ScoreDocument.PartSpec;
import java.util.List;
import java.util.Map;

/**
 * Explicit events: per voice, notes with a start (relative to the part) and a duration in beats;
 * the part lasts {@code beats}, or until its last note ends. Stateless; thread-safe.
 */
final class EventPartCompiler {

    private EventPartCompiler() {
    }

    /**
     * Adds an events part starting at {@code cursor} beats.
     *
     * @return the beat where the part ends
     */
    static double compile(PartSpec part, FieldPath at, double cursor, CompileContext ctx) throws ScoreException {
        double end = 0;
        for (Map.Entry<String, List<EventSpec>> e : part.events().entrySet()) {
            FieldPath vat = at.field("events").field(e.getKey());
            List<RawNote> voice = ctx.voice(e.getKey(), vat);
            if (e.getValue() == null) {
                continue;
            }
            for (int i = 0; i < e.getValue().size(); i++) {
                EventSpec ev = e.getValue().get(i);
                FieldPath eat = vat.index(i);
                if (ev == null) {
                    throw ctx.err(eat, "an event may not be null");
                }
                double start = ctx.positive(ev.start(), eat.field("start"), "start", true);
                double dur = ctx.positive(ev.duration(), eat.field("duration"), "duration", false);
                ctx.add(voice, cursor + start, dur, ctx.index(ev.note(), eat.field("note")), eat);
                end = Math.max(end, start + dur);
            }
        }
        if (part.beats() != null) {
            double len = ctx.positive(part.beats(), at.field("beats"), "beats", true);
            if (len + TempoMap.BEAT_GRID < end) {
                throw ctx.err(at.field("beats"), "the part lasts " + fmt(len) + " beats but its events run to " + fmt(end));
            }
            end = len;
        }
        return cursor + end;
    }
}
