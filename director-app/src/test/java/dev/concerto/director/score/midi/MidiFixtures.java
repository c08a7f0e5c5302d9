package dev.concerto.director.score.midi;

import dev.concerto.director.score.NoteNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * Builds MIDI sequences for the tests with javax.sound.midi, and writes {@code scores/frere-jacques.mid}
 * (run {@link #main} from the repository root to regenerate it; {@code MidiImporterTest} checks the
 * committed file is byte for byte what this class writes).
 */
public final class MidiFixtures {

    public static final int PPQ = 480;

    private MidiFixtures() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "scores/frere-jacques.mid");
        Files.write(out, bytes(frereJacques(), 1));
        System.out.println("wrote " + out);
    }

    static byte[] bytes(Sequence seq, int type) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        MidiSystem.write(seq, type, b);
        return b.toByteArray();
    }

    static void note(Track t, int channel, int midi, long startTick, long lengthTicks) {
        try {
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, midi, 90), startTick));
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, midi, 0), startTick + lengthTicks));
        } catch (InvalidMidiDataException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static void tempo(Track t, long tick, double bpm) {
        int us = (int) Math.round(60_000_000.0 / bpm);
        meta(t, 0x51, new byte[] {(byte) (us >> 16), (byte) (us >> 8), (byte) us}, tick);
    }

    static void meta(Track t, int type, byte[] data, long tick) {
        try {
            t.add(new MidiEvent(new MetaMessage(type, data, data.length), tick));
        } catch (InvalidMidiDataException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static void name(Track t, String name) {
        meta(t, 0x03, name.getBytes(StandardCharsets.US_ASCII), 0);
    }

    /** Lays out "NOTE:QUARTERS ..." (r = rest) from {@code startTick}; returns the end tick. */
    static long line(Track t, int channel, long startTick, String notes) {
        long tick = startTick;
        for (String tok : notes.trim().split("\\s+")) {
            String[] p = tok.split(":");
            long len = Math.round(quarters(p[1]) * PPQ);
            if (!p[0].equals("r")) {
                note(t, channel, NoteNames.midiOf(p[0]).getAsInt(), tick, len);
            }
            tick += len;
        }
        return tick;
    }

    private static double quarters(String text) {
        int slash = text.indexOf('/');
        return slash < 0 ? Double.parseDouble(text)
                : Double.parseDouble(text.substring(0, slash)) / Double.parseDouble(text.substring(slash + 1));
    }

    static final String FRERE = "C4:1 D4:1 E4:1 C4:1 C4:1 D4:1 E4:1 C4:1 E4:1 F4:1 G4:2 E4:1 F4:1 G4:2 "
            + "G4:1/2 A4:1/2 G4:1/2 F4:1/2 E4:1 C4:1 G4:1/2 A4:1/2 G4:1/2 F4:1/2 E4:1 C4:1 "
            + "C4:1 G3:1 C4:2 C4:1 G3:1 C4:2";

    /**
     * Frère Jacques as a two-voice round, type 1: a tempo track (quarter = 100, slowing to 80 for
     * the last two measures, 4/4) and two tracks, the second entering two measures later.
     */
    public static Sequence frereJacques() throws InvalidMidiDataException {
        Sequence seq = new Sequence(Sequence.PPQ, PPQ);
        Track conductor = seq.createTrack();
        name(conductor, "Frere Jacques (round)");
        meta(conductor, 0x58, new byte[] {4, 2, 24, 8}, 0);
        tempo(conductor, 0, 100);
        tempo(conductor, 8L * 4 * PPQ, 80);
        Track v1 = seq.createTrack();
        name(v1, "voice 1");
        line(v1, 0, 0, FRERE);
        Track v2 = seq.createTrack();
        name(v2, "voice 2");
        line(v2, 1, 2L * 4 * PPQ, FRERE);
        return seq;
    }

    /**
     * Type 1 with meter changes: 3/4 for two measures, 4/4 (written again one measure later, as
     * sequencers do) for two, then 6/8; quarter notes throughout, 17 beats.
     */
    public static Sequence meterChanges() throws InvalidMidiDataException {
        Sequence seq = new Sequence(Sequence.PPQ, PPQ);
        Track conductor = seq.createTrack();
        meta(conductor, 0x58, new byte[] {3, 2, 24, 8}, 0);
        meta(conductor, 0x58, new byte[] {4, 2, 24, 8}, 6L * PPQ);
        meta(conductor, 0x58, new byte[] {4, 2, 24, 8}, 10L * PPQ);
        meta(conductor, 0x58, new byte[] {6, 3, 36, 8}, 14L * PPQ);
        tempo(conductor, 0, 120);
        Track melody = seq.createTrack();
        line(melody, 0, 0, "C4:1 D4:1 E4:1 ".repeat(5) + "C4:1 D4:1");
        return seq;
    }

    /** Type 0: one track, tempo 120 then 60 at beat 4, C major triads on channel 0 plus a melody on channel 1. */
    public static Sequence typeZeroChords() throws InvalidMidiDataException {
        Sequence seq = new Sequence(Sequence.PPQ, PPQ);
        Track t = seq.createTrack();
        tempo(t, 0, 120);
        tempo(t, 4L * PPQ, 60);
        for (int bar = 0; bar < 2; bar++) {
            long at = bar * 4L * PPQ;
            note(t, 0, 48, at, 4L * PPQ); // C3
            note(t, 0, 52, at, 4L * PPQ); // E3
            note(t, 0, 55, at, 4L * PPQ); // G3
        }
        line(t, 1, 0, "C5:1 D5:1 E5:1 F5:1 G5:4");
        return seq;
    }
}
