package dev.concerto.director.score;

import dev.concerto.director.score.ScoreDocument.Beats;
import dev.concerto.director.score.ScoreDocument.EventSpec;
import dev.concerto.director.score.ScoreDocument.NoteRef;
import dev.concerto.director.score.ScoreDocument.PartSpec;
import dev.concerto.director.score.ScoreDocument.TempoChange;
import dev.concerto.director.score.ScoreDocument.TempoSpec;
import dev.concerto.director.score.ScoreDocument.TuningSpec;
import dev.concerto.director.score.ScoreDocument.VoiceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports standard MIDI files (type 0 and 1) with {@code javax.sound.midi} into a score in the
 * events form: tempo map and first time signature honoured, notes in equal temperament at
 * A4 = 440 Hz, polyphony split into monophonic voices by a {@link Split} preset. Notes that find
 * no voice are not dropped silently: they are listed in {@link Result#unplaced()} and in the
 * score's warnings. Stateless; thread-safe.
 */
public final class MidiImporter {

    private static final Logger LOG = LoggerFactory.getLogger(MidiImporter.class);
    private static final int PERCUSSION_CHANNEL = 9;

    private MidiImporter() {
    }

    /** How notes are spread over monophonic voices. */
    public enum Split {
        /** One voice per track (type 1 files); a note overlapping the track's previous note is unplaced. */
        TRACK,
        /** One voice per MIDI channel; a note overlapping the channel's previous note is unplaced. */
        CHANNEL,
        /** {@code players} voices; each note goes to the first free voice, notes of a chord high to low (voice1 = top). */
        HIGH_TO_LOW,
        /** {@code players} voices taken in turn; a note goes to the next free voice after the last one used. */
        ROUND_ROBIN;

        /** Parses {@code track}, {@code channel}, {@code high-to-low}, {@code round-robin}. */
        public static Split parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * Import options.
     *
     * @param split   the voice split preset
     * @param players the number of players available (&ge; 1); for TRACK and CHANNEL the number of
     *                groups that get a voice, the rest being reported as unplaced
     */
    public record Options(Split split, int players) {
        /** High to low over four players, the ancestor's ensemble size. */
        public static final Options DEFAULT = new Options(Split.HIGH_TO_LOW, 4);

        public Options {
            if (split == null || players < 1) {
                throw new IllegalArgumentException("need a split and players >= 1");
            }
        }
    }

    /**
     * A note that could not be placed on a voice.
     *
     * @param track        0-based track index (printed 1-based, like the voice names {@code track1..})
     * @param channel      1-based MIDI channel
     * @param midiNote     MIDI note number
     * @param startBeats   onset in quarter-note beats
     * @param startSeconds onset in seconds through the tempo map
     * @param reason       why, for people
     */
    public record Unplaced(int track, int channel, int midiNote, double startBeats, double startSeconds, String reason) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "unplaced %s (track %d, channel %d) at beat %s (%.3f s): %s",
                    NoteNames.nameOf(midiNote), track + 1, channel, ScoreCompiler.fmt(startBeats), startSeconds, reason);
        }
    }

    /** The imported score and the notes that could not be placed (also in the score's warnings). */
    public record Result(Score score, List<Unplaced> unplaced) {
        public Result {
            unplaced = List.copyOf(unplaced);
        }
    }

    private record Note(int track, int channel, int midi, long startTick, long endTick) {
    }

    /** Reads a MIDI file. */
    public static Result load(Path file, Options options) throws ScoreException {
        String name = file.toString();
        Sequence seq;
        try {
            seq = MidiSystem.getSequence(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new ScoreException(name, 0, 0, "", "no such file");
        } catch (InvalidMidiDataException e) {
            throw new ScoreException(name, 0, 0, "", "not a standard MIDI file: " + e.getMessage(), e);
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw new ScoreException(name, 0, 0, "", "no such file");
            }
            throw new ScoreException(name, 0, 0, "", "cannot read the MIDI file: " + e.getMessage(), e);
        }
        String title = file.getFileName().toString().replaceFirst("(?i)\\.midi?$", "");
        int type;
        try {
            type = MidiSystem.getMidiFileFormat(file.toFile()).getType();
        } catch (InvalidMidiDataException | IOException e) {
            type = seq.getTracks().length <= 1 ? 0 : 1;
        }
        return importSequence(seq, name, title, options, type);
    }

    /**
     * Converts a sequence. {@code sourceName} names it in messages; {@code fallbackTitle} is used
     * when the file has no track name.
     */
    public static Result importSequence(Sequence seq, String sourceName, String fallbackTitle, Options options)
            throws ScoreException {
        return importSequence(seq, sourceName, fallbackTitle, options, seq.getTracks().length <= 1 ? 0 : 1);
    }

    private static Result importSequence(Sequence seq, String sourceName, String fallbackTitle, Options options,
                                         int fileType) throws ScoreException {
        if (seq.getDivisionType() != Sequence.PPQ) {
            throw new ScoreException(sourceName, 0, 0, "", "SMPTE time division is not supported; save the file with pulses per quarter note");
        }
        double ppq = seq.getResolution();
        TreeMap<Long, Double> tempos = new TreeMap<>();
        String meter = null;
        String title = null;
        List<Note> notes = new ArrayList<>();
        List<Unplaced> unplaced = new ArrayList<>();
        List<long[]> percussion = new ArrayList<>(); // track, channel, note, tick
        Track[] tracks = seq.getTracks();
        for (int t = 0; t < tracks.length; t++) {
            Map<Integer, ArrayDeque<Long>> open = new HashMap<>(); // channel*128+note -> onsets (FIFO)
            Track track = tracks[t];
            long lastTick = track.ticks();
            for (int i = 0; i < track.size(); i++) {
                MidiEvent ev = track.get(i);
                long tick = ev.getTick();
                if (ev.getMessage() instanceof MetaMessage meta) {
                    byte[] d = meta.getData();
                    if (meta.getType() == 0x51 && d.length == 3) {
                        int usPerQuarter = ((d[0] & 0xff) << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff);
                        if (usPerQuarter > 0) {
                            tempos.put(tick, 60_000_000.0 / usPerQuarter);
                        }
                    } else if (meta.getType() == 0x58 && d.length >= 2 && meter == null && tick == 0) {
                        meter = (d[0] & 0xff) + "/" + (1 << (d[1] & 0xff));
                    } else if ((meta.getType() == 0x03 || meta.getType() == 0x01) && title == null && t == 0 && d.length > 0) {
                        title = new String(d, StandardCharsets.US_ASCII).trim();
                    }
                } else if (ev.getMessage() instanceof ShortMessage sm) {
                    int cmd = sm.getCommand();
                    int ch = sm.getChannel();
                    int key = ch * 128 + sm.getData1();
                    if (cmd == ShortMessage.NOTE_ON && sm.getData2() > 0) {
                        if (ch == PERCUSSION_CHANNEL) {
                            percussion.add(new long[] {t, ch, sm.getData1(), tick});
                        } else {
                            open.computeIfAbsent(key, k -> new ArrayDeque<>()).add(tick);
                        }
                    } else if (cmd == ShortMessage.NOTE_OFF || (cmd == ShortMessage.NOTE_ON && sm.getData2() == 0)) {
                        ArrayDeque<Long> q = open.get(key);
                        if (q != null && !q.isEmpty()) {
                            notes.add(new Note(t, ch, sm.getData1(), q.poll(), tick));
                        }
                    }
                }
            }
            for (Map.Entry<Integer, ArrayDeque<Long>> e : open.entrySet()) {
                for (Long start : e.getValue()) { // never released: end with the track
                    notes.add(new Note(t, e.getKey() / 128, e.getKey() % 128, start, Math.max(lastTick, start)));
                }
            }
        }
        if (!tempos.containsKey(0L)) {
            tempos.put(0L, 120.0); // the MIDI default until the first tempo event
        }
        TempoClock clock = new TempoClock(tempos, ppq);
        for (long[] p : percussion) {
            unplaced.add(new Unplaced((int) p[0], (int) p[1] + 1, (int) p[2], p[3] / ppq, clock.seconds(p[3]),
                    "percussion (channel 10) has no pitch to play"));
        }
        notes.sort(Comparator.comparingLong(Note::startTick).thenComparing(Comparator.comparingInt(Note::midi).reversed())
                .thenComparingInt(Note::track));
        Map<String, List<EventSpec>> events = new LinkedHashMap<>();
        Map<String, Long> voiceEnd = new HashMap<>();
        List<String> voiceOrder = new ArrayList<>();
        int rr = 0;
        for (Note n : notes) {
            if (n.endTick() <= n.startTick()) {
                unplaced.add(unplaced(n, clock, "zero length (note-off at its onset)"));
                continue;
            }
            String voice = null;
            String reason = null;
            switch (options.split()) {
                case TRACK, CHANNEL -> {
                    String v = options.split() == Split.TRACK ? "track" + (n.track() + 1) : "ch" + (n.channel() + 1);
                    if (!voiceOrder.contains(v) && voiceOrder.size() >= options.players()) {
                        reason = "no player left for " + v + " (" + options.players() + " players)";
                    } else if (voiceEnd.getOrDefault(v, Long.MIN_VALUE) > n.startTick()) {
                        reason = "overlaps the previous note of " + v + " (one monophonic voice per "
                                + options.split().name().toLowerCase(Locale.ROOT) + ")";
                    } else {
                        voice = v;
                    }
                }
                case HIGH_TO_LOW, ROUND_ROBIN -> {
                    int first = options.split() == Split.ROUND_ROBIN ? rr : 0;
                    for (int k = 0; k < options.players(); k++) {
                        int vi = (first + k) % options.players();
                        String v = "voice" + (vi + 1);
                        if (voiceEnd.getOrDefault(v, Long.MIN_VALUE) <= n.startTick()) {
                            voice = v;
                            rr = (vi + 1) % options.players();
                            break;
                        }
                    }
                    if (voice == null) {
                        reason = "all " + options.players() + " players are busy";
                    }
                }
                default -> throw new IllegalStateException();
            }
            if (voice == null) {
                unplaced.add(unplaced(n, clock, reason));
                continue;
            }
            if (!voiceOrder.contains(voice)) {
                voiceOrder.add(voice);
            }
            voiceEnd.put(voice, n.endTick());
            events.computeIfAbsent(voice, k -> new ArrayList<>()).add(new EventSpec(Beats.of(n.startTick() / ppq),
                    Beats.of((n.endTick() - n.startTick()) / ppq), NoteRef.ofName(NoteNames.nameOf(n.midi()))));
        }
        if (events.isEmpty()) {
            throw new ScoreException(sourceName, 0, 0, "", "the MIDI file has no notes that can be played"
                    + (unplaced.isEmpty() ? "" : " (" + unplaced.size() + " unplaced: " + unplaced.get(0) + ")"));
        }
        voiceOrder.sort(Comparator.comparing((String v) -> v.replaceAll("\\d", "")).thenComparingInt(v -> Integer.parseInt(v.replaceAll("\\D", ""))));
        List<VoiceSpec> voices = new ArrayList<>();
        Map<String, List<EventSpec>> ordered = new LinkedHashMap<>();
        for (String v : voiceOrder) {
            voices.add(new VoiceSpec(v, null, null, null));
            ordered.put(v, List.copyOf(events.get(v)));
        }
        List<TempoChange> changes = new ArrayList<>();
        tempos.forEach((tick, bpm) -> {
            if (tick > 0) {
                changes.add(new TempoChange(Beats.of(tick / ppq), bpm));
            }
        });
        String desc = String.format(Locale.ROOT, "Imported from %s (MIDI type %d, %d tracks, %d PPQ), split %s over %d players; %d notes placed, %d unplaced.",
                Path.of(sourceName).getFileName(), fileType, tracks.length, seq.getResolution(),
                options.split().name().toLowerCase(Locale.ROOT).replace('_', '-'), options.players(),
                notes.size() - unplacedNotes(unplaced), unplaced.size());
        ScoreDocument doc = new ScoreDocument(null, title == null || title.isBlank() ? fallbackTitle : title, "", desc,
                new TuningSpec("equal", null, null, null, null, null, null, "A4", 440.0, null, "C-1", "G9"),
                new TempoSpec(tempos.get(0L), 4, null, changes.isEmpty() ? null : changes),
                meter, voices, null, List.of(PartSpec.ofEvents("midi", ordered)));
        List<String> warnings = unplaced.stream().map(Unplaced::toString).toList();
        if (!warnings.isEmpty()) {
            LOG.warn("{}: {} notes could not be placed on {} players ({}), first: {}", sourceName, warnings.size(),
                    options.players(), options.split(), warnings.get(0));
        }
        Score score = new Score(doc, new ScoreSource(sourceName, null), warnings);
        ScoreCompiler.compile(score); // the import must yield a valid score
        return new Result(score, unplaced);
    }

    private static int unplacedNotes(List<Unplaced> unplaced) {
        int n = 0;
        for (Unplaced u : unplaced) {
            if (u.channel() != PERCUSSION_CHANNEL + 1) {
                n++;
            }
        }
        return n;
    }

    private static Unplaced unplaced(Note n, TempoClock clock, String reason) {
        return new Unplaced(n.track(), n.channel() + 1, n.midi(), n.startTick() / clock.ppq, clock.seconds(n.startTick()), reason);
    }

    /** Ticks to seconds through the tempo map. */
    private static final class TempoClock {
        private final TreeMap<Long, Double> tempos;
        private final double ppq;

        TempoClock(TreeMap<Long, Double> tempos, double ppq) {
            this.tempos = tempos;
            this.ppq = ppq;
        }

        double seconds(long tick) {
            double s = 0;
            long prevTick = 0;
            double bpm = tempos.firstEntry().getValue();
            for (Map.Entry<Long, Double> e : tempos.entrySet()) {
                if (e.getKey() >= tick) {
                    break;
                }
                s += (e.getKey() - prevTick) / ppq * 60.0 / bpm;
                prevTick = e.getKey();
                bpm = e.getValue();
            }
            return s + (tick - prevTick) / ppq * 60.0 / bpm;
        }
    }
}
