package dev.concerto.director.live;

import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.ShortMessage;

/**
 * MIDI clock as a master: {@value #PPQ} Timing Clock messages per quarter note while playing,
 * Start/Stop/Continue, and Song Position Pointer before a Continue from anywhere but the start. A
 * pure schedule: the caller asks {@link #nextTickNanos()} and calls {@link #tick()} at that time.
 *
 * <p>Tick times are computed from an anchor (the last start or tempo change) as
 * {@code anchor + n * period}, never by adding periods, so they do not drift.
 *
 * <p>Not thread-safe: one owner (the clock-out shell's thread).
 */
public final class MidiClockOut {

    /** MIDI clocks per quarter note. */
    public static final int PPQ = 24;
    /** MIDI clocks per MIDI beat (a sixteenth note), the unit of Song Position Pointer. */
    public static final int CLOCKS_PER_SIXTEENTH = 6;
    /** The largest Song Position Pointer value (14 bits). */
    public static final int MAX_SPP = 16_383;

    private boolean running;
    private double bpm = 120;
    private long anchorNanos;
    private long ticksSinceAnchor;
    /** Clocks since the start of the song (for Song Position Pointer). */
    private long clocks;

    public boolean running() {
        return running;
    }

    /** MIDI clocks sent since the start of the song (position × 24 per quarter note). */
    public long positionClocks() {
        return clocks;
    }

    public double tempoBpm() {
        return bpm;
    }

    /**
     * Starts playing at a position: Start from the very beginning; otherwise Song Position Pointer
     * (rounded down to a sixteenth note) then Continue. The first clock is due at {@code nowNanos}.
     *
     * @param quarterNotes position from the start of the song, in quarter notes, &ge; 0
     * @return the messages to send now, in order
     */
    public List<ShortMessage> start(long nowNanos, double tempoBpm, double quarterNotes) {
        checkBpm(tempoBpm);
        List<ShortMessage> out = new ArrayList<>(2);
        if (running) {
            out.add(message(ShortMessage.STOP));
        }
        long sixteenths = Math.min(MAX_SPP, (long) Math.floor(Math.max(0, quarterNotes) * 4 + 1e-9));
        bpm = tempoBpm;
        clocks = sixteenths * CLOCKS_PER_SIXTEENTH;
        if (sixteenths == 0) {
            out.add(message(ShortMessage.START));
        } else {
            out.add(songPosition((int) sixteenths));
            out.add(message(ShortMessage.CONTINUE));
        }
        running = true;
        anchorNanos = nowNanos;
        ticksSinceAnchor = 0;
        return out;
    }

    /** Stops: a Stop message, no more clocks (the position is kept for a later Continue). */
    public List<ShortMessage> stop() {
        if (!running) {
            return List.of();
        }
        running = false;
        return List.of(message(ShortMessage.STOP));
    }

    /** Changes the tempo from the next clock on. */
    public void setTempo(double tempoBpm) {
        checkBpm(tempoBpm);
        if (running) {
            anchorNanos = nextTickNanos();
            ticksSinceAnchor = 0;
        }
        bpm = tempoBpm;
    }

    /** The nanos between clocks at the current tempo. */
    public double periodNanos() {
        return 60e9 / (bpm * PPQ);
    }

    /** When the next Timing Clock is due, or {@link Long#MAX_VALUE} when stopped. */
    public long nextTickNanos() {
        return running ? anchorNanos + Math.round(ticksSinceAnchor * periodNanos()) : Long.MAX_VALUE;
    }

    /** The Timing Clock due at {@link #nextTickNanos()}; advances the position. Only while running. */
    public ShortMessage tick() {
        if (!running) {
            throw new IllegalStateException("no clock while stopped");
        }
        ticksSinceAnchor++;
        clocks++;
        return message(ShortMessage.TIMING_CLOCK);
    }

    /** A Song Position Pointer message. */
    public static ShortMessage songPosition(int sixteenths) {
        if (sixteenths < 0 || sixteenths > MAX_SPP) {
            throw new IllegalArgumentException("song position " + sixteenths + " is outside 0.." + MAX_SPP);
        }
        try {
            return new ShortMessage(ShortMessage.SONG_POSITION_POINTER, sixteenths & 0x7f, sixteenths >> 7);
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ShortMessage message(int status) {
        try {
            return new ShortMessage(status);
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e); // every status used here is a valid system message
        }
    }

    private static void checkBpm(double b) {
        if (!(b >= 1 && b <= 2_000)) {
            throw new IllegalArgumentException("tempo " + b + " bpm is outside 1..2000");
        }
    }
}
