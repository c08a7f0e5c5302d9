package dev.concerto.player;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.player.core.ToneChange;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The onset error of timed notes from the generator's frames: note starts only (silences — a
 * note's end, a director's "silence now" — are not notes), late ones counted, the summary line's
 * histogram decodable.
 */
class OnsetMeterTest {

    private static ToneChange start(double hz, boolean late) {
        return new ToneChange(1, ToneChange.Cause.START, hz, 48_000, 1_000_000, 7, late);
    }

    @Test
    void countsNoteStartsAndTheirErrorInMicrosecondsFromFrames() {
        OnsetMeter m = new OnsetMeter();
        m.record(start(440, false), 48_000, 48_000, 48_000);        // on its frame
        m.record(start(440, false), 48_048, 48_000, 48_000);        // 48 frames late: 1 ms
        m.record(start(440, true), 48_000 + 4_800, 48_000, 48_000); // arrived 100 ms late, played at once
        m.record(start(0, true), 60_000, 48_000, 48_000);           // a silence now: not a note
        m.record(new ToneChange(2, ToneChange.Cause.LEASE_END, 0, 50_000, 1_100_000, 7, false), 50_000, 50_000, 48_000);

        assertThat(m.notes()).isEqualTo(3);
        assertThat(m.lateNotes()).isEqualTo(1);
        Histogram h = m.errors();
        assertThat(h.getTotalCount()).isEqualTo(3);
        assertThat(h.getMinValue()).isZero();
        assertThat(h.getMaxValue()).isBetween(99_000L, 101_000L);

        String line = m.summary();
        assertThat(line).startsWith("onsets: notes=3 late-notes=1 error-us p50=");
        Histogram decoded = OnsetMeter.decode(line.substring(line.indexOf("histogram=") + "histogram=".length()));
        assertThat(decoded.getTotalCount()).isEqualTo(3);
        assertThat(decoded.getMaxValue()).isEqualTo(h.getMaxValue());
    }
}
