package dev.concerto.director.score.midi;

import dev.concerto.director.score.ImportReport;
import dev.concerto.director.score.ImportedScores;
import dev.concerto.director.score.MeterMap;
import dev.concerto.director.score.NoteNames;
import dev.concerto.director.score.Placement;
import dev.concerto.director.score.Score;
import dev.concerto.director.score.ScoreException;
import dev.concerto.director.score.TickTempoMap;
import dev.concerto.director.score.Unplaced;
import dev.concerto.director.score.VoicePlacer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Imports Standard MIDI Files (type 0 and 1) into a score: the file's structure is checked by
 * {@link SmfReader} (every fault is an error with its byte offset), notes are paired (note-on to
 * the first matching note-off, optionally held by the sustain pedal), drums on channel 10 are
 * reported, and the pitched notes are spread over monophonic voices by {@link VoicePlacer}. A note
 * never released is accepted with a warning that counts it. Titles come from the first track's
 * name (UTF-8 when valid, else Latin-1, first line); copyright and text events are kept as
 * labelled information. Stateless; thread-safe.
 */
public final class MidiImporter {

    /** MIDI channel 10 (0-based 9) carries General MIDI drums. */
    private static final int PERCUSSION_CHANNEL = 9;
    /** Files larger than this are not Standard MIDI Files anyone plays (the 65,000-note file is ~0.5 MB). */
    public static final long MAX_FILE_BYTES = ImportedScores.MAX_FILE_BYTES;
    private static final int SUSTAIN_PEDAL = 64;
    private static final int META_TEXT = 0x01;
    private static final int META_COPYRIGHT = 0x02;
    private static final int META_TRACK_NAME = 0x03;
    private static final int META_TEMPO = 0x51;
    private static final int META_TIME_SIGNATURE = 0x58;
    /** Text events kept as information; more are counted. */
    private static final int MAX_TEXTS = 5;

    private MidiImporter() {
    }

    /** Reads a MIDI file from disk. */
    public static Score load(Path file, Placement placement) throws ScoreException {
        String name = file.toString();
        byte[] bytes = ImportedScores.readBounded(file, "; that is not a MIDI file anyone plays");
        String fallbackTitle = file.getFileName().toString().replaceFirst("(?i)\\.midi?$", "");
        return read(bytes, name, fallbackTitle, placement);
    }

    /** Reads MIDI file bytes; {@code sourceName} names it in messages. */
    public static Score read(byte[] bytes, String sourceName, String fallbackTitle, Placement placement)
            throws ScoreException {
        SmfFile smf;
        try {
            smf = SmfReader.read(bytes);
        } catch (SmfException e) {
            throw new ScoreException(sourceName, 0, 0, e.where(), "byte " + e.offset() + ": " + e.detail(), e);
        }
        return convert(smf, sourceName, fallbackTitle, placement);
    }

    private record Held(long start, int track) {
    }

    private static Score convert(SmfFile smf, String sourceName, String fallbackTitle, Placement placement)
            throws ScoreException {
        TreeMap<Long, Double> tempos = new TreeMap<>();
        TreeMap<Long, String> meters = new TreeMap<>(); // tick -> "3/4", every track's time signatures
        String unsupportedMeter = null;
        String title = null;
        List<ImportReport.Info> info = new ArrayList<>();
        int texts = 0;
        List<VoicePlacer.Note> notes = new ArrayList<>();
        List<Unplaced> unplaced = new ArrayList<>();
        List<long[]> drums = new ArrayList<>(); // track, note, tick
        List<String> fileWarnings = new ArrayList<>();
        NoteNamer names = new NoteNamer(placement);
        for (SmfFile.Track track : smf.tracks()) {
            int t = track.index();
            // channel*128+note -> onsets, first in first out; a list indexed by key, not a map of boxed keys
            List<ArrayDeque<Long>> open = new ArrayList<>(java.util.Collections.nCopies(16 * 128, null));
            Map<Integer, List<long[]>> pedalHeld = new HashMap<>(); // channel -> {note, onset} released while the pedal is down
            boolean[] pedalDown = new boolean[16];
            long lastTick = 0;
            for (SmfFile.Event ev : track.events()) {
                long tick = ev.tick();
                lastTick = tick;
                if (ev.kind() == SmfFile.Kind.META) {
                    byte[] d = ev.data();
                    switch (ev.type()) {
                        case META_TEMPO -> {
                            if (d.length == 3) {
                                int usPerQuarter = ((d[0] & 0xff) << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff);
                                if (usPerQuarter > 0) {
                                    tempos.put(tick, 60_000_000.0 / usPerQuarter);
                                }
                            }
                        }
                        case META_TIME_SIGNATURE -> {
                            if (d.length >= 2) {
                                int num = d[0] & 0xff;
                                int den = (d[1] & 0xff) < 8 ? 1 << (d[1] & 0xff) : 0;
                                if (MeterMap.supported(num, den)) {
                                    meters.putIfAbsent(tick, num + "/" + den);
                                } else if (unsupportedMeter == null) {
                                    unsupportedMeter = String.format(Locale.ROOT, "track %d: time signature %d/%s at beat %s "
                                            + "is not one a score can have (1..%d beats of 1/1..1/32); measures keep the one before",
                                            t + 1, num, den == 0 ? "2^" + (d[1] & 0xff) : Integer.toString(den),
                                            beats(tick, smf.ticksPerQuarter()), MeterMap.MAX_NUMERATOR);
                                }
                            }
                        }
                        case META_TRACK_NAME -> {
                            if (t == 0 && title == null) {
                                String s = firstLine(decode(d));
                                if (!s.isEmpty()) {
                                    title = s;
                                }
                            }
                        }
                        case META_COPYRIGHT -> info.add(new ImportReport.Info("copyright", oneLine(decode(d))));
                        case META_TEXT -> {
                            String s = oneLine(decode(d));
                            if (!s.isEmpty() && texts++ < MAX_TEXTS) {
                                info.add(new ImportReport.Info("text", s));
                            }
                        }
                        default -> {
                            // lyrics, markers, key signatures, ...: nothing a player sounds
                        }
                    }
                } else if (ev.kind() == SmfFile.Kind.CHANNEL) {
                    int cmd = ev.command();
                    int ch = ev.channel();
                    int key = ch * 128 + ev.type();
                    if (cmd == 0x90 && ev.value() > 0) {
                        if (ch == PERCUSSION_CHANNEL) {
                            drums.add(new long[] {t, ev.type(), tick});
                            continue;
                        }
                        if (pedalDown[ch]) { // a key struck again while the pedal holds it: the held one ends
                            releaseHeld(pedalHeld.get(ch), ev.type(), tick, t, ch, notes, names);
                        }
                        if (open.get(key) == null) {
                            open.set(key, new ArrayDeque<>());
                        }
                        open.get(key).add(tick);
                    } else if (cmd == 0x80 || cmd == 0x90) {
                        ArrayDeque<Long> q = open.get(key);
                        if (q != null && !q.isEmpty()) {
                            long start = q.poll();
                            if (placement.sustainPedal() && pedalDown[ch]) {
                                pedalHeld.computeIfAbsent(ch, c -> new ArrayList<>()).add(new long[] {ev.type(), start});
                            } else {
                                notes.add(names.note(t, ch, ev.type(), start, tick));
                            }
                        }
                    } else if (cmd == 0xB0 && ev.type() == SUSTAIN_PEDAL && placement.sustainPedal()) {
                        boolean down = ev.value() >= 64;
                        if (pedalDown[ch] && !down) {
                            for (long[] h : pedalHeld.getOrDefault(ch, List.of())) {
                                notes.add(names.note(t, ch, (int) h[0], h[1], tick));
                            }
                            pedalHeld.remove(ch);
                        }
                        pedalDown[ch] = down;
                    }
                }
            }
            for (Map.Entry<Integer, List<long[]>> e : pedalHeld.entrySet()) { // pedal never lifted: end with the track
                for (long[] h : e.getValue()) {
                    notes.add(names.note(t, e.getKey(), (int) h[0], h[1], Math.max(lastTick, h[1])));
                }
            }
            int neverReleased = 0;
            long firstOnset = Long.MAX_VALUE;
            int firstNote = 0;
            for (int key = 0; key < open.size(); key++) {
                if (open.get(key) == null) {
                    continue;
                }
                for (Long start : open.get(key)) { // never released: it ends with the track
                    notes.add(names.note(t, key / 128, key % 128, start, Math.max(lastTick, start)));
                    neverReleased++;
                    if (start < firstOnset) {
                        firstOnset = start;
                        firstNote = key % 128;
                    }
                }
            }
            if (neverReleased > 0) {
                fileWarnings.add(String.format(Locale.ROOT,
                        "track %d: %d note%s never released (first: %s at beat %s); %s end%s with the track at beat %s"
                                + " — the track may be cut short",
                        t + 1, neverReleased, neverReleased == 1 ? " is" : "s are", NoteNames.nameOf(firstNote),
                        beats(firstOnset, smf.ticksPerQuarter()), neverReleased == 1 ? "it" : "they",
                        neverReleased == 1 ? "s" : "", beats(lastTick, smf.ticksPerQuarter())));
            }
        }
        TickTempoMap tempo = new TickTempoMap(smf.ticksPerQuarter(), tempos);
        for (long[] d : drums) {
            unplaced.add(new Unplaced("track " + (d[0] + 1) + ", channel 10", (int) d[1], tempo.beats(d[2]),
                    tempo.seconds(d[2]), Unplaced.Cause.PERCUSSION, "percussion (channel 10) has no pitch to play"));
        }
        VoicePlacer.Result placed = VoicePlacer.place(notes, placement, tempo);
        unplaced.addAll(placed.unplaced());
        unplaced.sort(java.util.Comparator.comparingDouble(Unplaced::startBeats));
        int pitched = notes.size();
        int dropped = placed.unplaced().size();
        String desc = String.format(Locale.ROOT,
                "Imported from %s (MIDI type %d, %d tracks, %d PPQ), split %s over %s players (keep %s%s); "
                        + "%d notes placed, %d unplaced.",
                Path.of(sourceName).getFileName(), smf.format(), smf.tracks().size(), smf.ticksPerQuarter(),
                placement.split().text(), placement.playersText(), placement.keep().text(),
                placement.sustainPedal() ? ", sustain pedal honoured" : "", pitched - dropped, unplaced.size());
        if (unsupportedMeter != null) {
            fileWarnings.add(unsupportedMeter);
        }
        ImportReport report = new ImportReport(unplaced, fileWarnings, info);
        ImportedScores.Header header = new ImportedScores.Header(title == null ? fallbackTitle : title, "", desc,
                withoutRestatements(meters));
        return ImportedScores.build(sourceName, header, tempo, placed, report);
    }

    private static void releaseHeld(List<long[]> held, int midi, long tick, int track, int ch,
                                    List<VoicePlacer.Note> notes, NoteNamer names) {
        if (held == null) {
            return;
        }
        for (java.util.Iterator<long[]> it = held.iterator(); it.hasNext(); ) {
            long[] h = it.next();
            if (h[0] == midi) {
                notes.add(names.note(track, ch, midi, h[1], tick));
                it.remove();
            }
        }
    }

    /**
     * Makes the placer's notes, with their group, voice name and origin. The strings are made once
     * per track and channel, not once per note: a 65,000-note file has a few dozen of them.
     */
    private static final class NoteNamer {
        private final boolean grouped;
        private final boolean byChannel;
        private final Map<Integer, String> origins = new HashMap<>();
        private final Map<Integer, String> groupNames = new HashMap<>();

        NoteNamer(Placement placement) {
            grouped = placement.split().grouped();
            byChannel = placement.split() == Placement.Split.CHANNEL;
        }

        /** The last track and channel named: a track's notes come together, so this nearly always answers. */
        private int lastKey = -1;
        private String lastName;
        private String lastOrigin;

        VoicePlacer.Note note(int track, int channel, int midi, long start, long end) {
            int group = byChannel ? channel : track;
            int key = track * 16 + channel;
            if (key != lastKey) {
                lastKey = key;
                lastName = groupNames.get(group);
                if (lastName == null) {
                    lastName = byChannel ? "ch" + (group + 1) : "track" + (group + 1);
                    groupNames.put(group, lastName);
                }
                lastOrigin = origins.get(key);
                if (lastOrigin == null) {
                    lastOrigin = "track " + (track + 1) + ", channel " + (channel + 1);
                    origins.put(key, lastOrigin);
                }
            }
            return new VoicePlacer.Note(grouped ? group : 0, lastName, lastOrigin, midi, start, end);
        }
    }

    /**
     * The time signatures that change the meter: sequencers often write the same one again (in
     * every track, or at every measure), which would only restart the measure count there.
     */
    private static TreeMap<Long, String> withoutRestatements(TreeMap<Long, String> meters) {
        TreeMap<Long, String> out = new TreeMap<>();
        String current = "4/4";
        for (Map.Entry<Long, String> e : meters.entrySet()) {
            if (!e.getValue().equals(current) || (e.getKey() == 0 && out.isEmpty())) {
                out.put(e.getKey(), e.getValue());
                current = e.getValue();
            }
        }
        return out;
    }

    /** UTF-8 when the bytes are valid UTF-8, else Latin-1 (what older sequencers wrote). */
    static String decode(byte[] d) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(d)).toString();
        } catch (CharacterCodingException e) {
            return new String(d, StandardCharsets.ISO_8859_1);
        }
    }

    private static String firstLine(String s) {
        for (String line : s.split("\\R")) {
            String t = line.replaceAll("\\p{Cntrl}", "").trim();
            if (!t.isEmpty()) {
                return t;
            }
        }
        return "";
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " / ").replaceAll("\\p{Cntrl}", "").trim();
    }

    private static String beats(long tick, int ppq) {
        double b = tick / (double) ppq;
        return b == Math.rint(b) ? Long.toString((long) b) : String.format(Locale.ROOT, "%.3f", b);
    }
}
