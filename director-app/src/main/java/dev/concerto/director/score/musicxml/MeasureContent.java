package dev.concerto.director.score.musicxml;

import java.util.ArrayList;
import java.util.List;

/** What one part has in one measure, in ticks from the measure's start. Filled by {@link MeasureReader}; not thread-safe. */
final class MeasureContent {

    /** A sounding note inside one measure. */
    record LocalNote(long start, long duration, int midi, boolean tieStart, boolean tieStop, String voice,
                     boolean unpitched) {
    }

    /** A tempo mark: from {@code at} on, {@code bpm} quarter notes per minute. */
    record LocalTempo(long at, double bpm) {
    }

    final List<LocalNote> notes = new ArrayList<>();
    final List<LocalTempo> tempos = new ArrayList<>();
    /** How far the notes, rests and forwards reach, ticks. */
    long length;
    /** The measure's number as written ({@code "12"}, {@code "12a"}), else its position from 1. */
    String number = "";
    /** The time signature in force ({@code "3/4"}), or {@code null} before the part's first one. */
    String meter;
    /** The length of a full measure of {@link #meter} (4/4 without one), ticks. */
    long meterTicks;
}
