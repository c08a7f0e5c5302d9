package dev.concerto.director.score.midi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the structure of a Standard MIDI File (header chunk, track chunks, variable-length
 * quantities, running status, meta and system-exclusive events) from bytes, and rejects every
 * structural fault with the byte offset and what was expected: a truncated chunk, a length past
 * the end, bytes after End of Track, a missing End of Track, a header whose track count does not
 * match the chunks, a data byte with no status before it, SMPTE time division, type 2.
 * Written here rather than with {@code javax.sound.midi}, which accepts a truncated file silently
 * and reports no offsets. Pure; stateless; thread-safe.
 */
public final class SmfReader {

    /** Longest variable-length quantity the format allows (4 bytes, 0x0FFFFFFF). */
    private static final int MAX_VLQ_BYTES = 4;
    private static final int END_OF_TRACK = 0x2F;
    private static final byte[] NO_DATA = new byte[0];

    private SmfReader() {
    }

    /** Parses {@code bytes} as a Standard MIDI File of format 0 or 1. */
    public static SmfFile read(byte[] bytes) throws SmfException {
        return new Cursor(bytes).file();
    }

    private static final class Cursor {
        private final byte[] b;
        private String where = "header";
        /** The offset after the variable-length quantity {@link #vlq} read last (no array per read). */
        private int afterVlq;

        Cursor(byte[] bytes) {
            this.b = bytes;
        }

        SmfFile file() throws SmfException {
            if (b.length == 0) {
                throw new SmfException(where, 0, "the file is empty (0 bytes); a standard MIDI file starts with \"MThd\"");
            }
            if (!startsWith(0, "MThd")) {
                throw new SmfException(where, 0, notMidi());
            }
            if (b.length < 14) {
                throw new SmfException(where, b.length, "the file ends inside its header: the header needs 14 bytes "
                        + "(\"MThd\", length 6, format, track count, division) but the file has " + b.length);
            }
            long headerLength = u32(4);
            if (headerLength < 6) {
                throw new SmfException(where, 4, "header length " + headerLength + ", expected 6");
            }
            int format = u16(8);
            int declaredTracks = u16(10);
            int division = u16(12);
            if (format == 2) {
                throw new SmfException(where, 8, "MIDI type 2 (multi-sequence) is not supported; "
                        + "save the file as type 1 (one song, several tracks)");
            }
            if (format > 2) {
                throw new SmfException(where, 8, "unknown format " + format + ", expected 0 or 1");
            }
            if ((division & 0x8000) != 0) {
                throw new SmfException(where, 12, "SMPTE time division (frames per second) is not supported; "
                        + "save the file with pulses per quarter note");
            }
            if (division == 0) {
                throw new SmfException(where, 12, "time division 0 ticks per quarter note, expected 1 or more");
            }
            if (format == 0 && declaredTracks != 1) {
                throw new SmfException(where, 10, "a type 0 file has exactly 1 track, the header declares " + declaredTracks);
            }
            long pos = 8 + headerLength;
            if (pos > b.length) {
                throw new SmfException(where, b.length, "the header declares " + headerLength
                        + " bytes but the file ends at byte " + b.length);
            }
            List<SmfFile.Track> tracks = new ArrayList<>();
            while (pos < b.length) {
                if (b.length - pos < 8) {
                    throw new SmfException("after track " + tracks.size(), pos, "the file ends inside a chunk header "
                            + "(8 bytes: type and length) after " + (b.length - pos) + " bytes");
                }
                String type = ascii((int) pos, 4);
                long length = u32((int) pos + 4);
                boolean isTrack = type.equals("MTrk");
                if (!isTrack && !type.matches("[A-Za-z0-9 ]{4}")) {
                    throw new SmfException("after track " + tracks.size(), pos, "expected a chunk (\"MTrk\"), found bytes "
                            + hex((int) pos, 4) + (tracks.size() == declaredTracks ? " after the last declared track" : ""));
                }
                where = isTrack ? "track " + (tracks.size() + 1) + " (chunk at byte " + pos + ")" : "chunk \"" + type + "\" at byte " + pos;
                long end = pos + 8 + length;
                if (end > b.length) {
                    throw new SmfException(where, pos + 4, "the chunk declares " + length + " bytes but the file ends "
                            + (end - b.length) + " bytes before that (at byte " + b.length + "): the file is truncated "
                            + "or the length is wrong");
                }
                if (isTrack) {
                    if (tracks.size() >= declaredTracks) {
                        throw new SmfException(where, pos, "the header declares " + declaredTracks + " track"
                                + (declaredTracks == 1 ? "" : "s") + " but another track chunk follows");
                    }
                    tracks.add(track(tracks.size(), pos, (int) pos + 8, (int) end));
                }
                pos = end; // other chunk types are skipped, as the standard asks
            }
            if (tracks.size() < declaredTracks) {
                throw new SmfException("header", 10, "the header declares " + declaredTracks + " track"
                        + (declaredTracks == 1 ? "" : "s") + " but the file "
                        + "ends at byte " + b.length + " after " + tracks.size() + ": the file is truncated");
            }
            return new SmfFile(format, division, tracks);
        }

        private SmfFile.Track track(int index, long chunkOffset, int start, int end) throws SmfException {
            List<SmfFile.Event> events = new ArrayList<>();
            int p = start;
            long tick = 0;
            int running = 0;
            boolean ended = false;
            while (p < end) {
                if (ended) {
                    throw new SmfException(where, p, (end - p) + " bytes after End of Track (the chunk ends at byte "
                            + end + ")");
                }
                long eventOffset = p;
                tick += vlq(p, end, "delta time");
                p = afterVlq;
                need(p, 1, end, "a status byte");
                int status = b[p] & 0xff;
                if (status == 0xFF) {
                    need(p + 1, 1, end, "the meta event's type");
                    int type = b[p + 1] & 0xff;
                    long len = vlq(p + 2, end, "the meta event's length");
                    int dataAt = afterVlq;
                    if (dataAt + len > end) {
                        need(dataAt, len, end, "the meta event's " + len + " data bytes");
                    }
                    byte[] data = java.util.Arrays.copyOfRange(b, dataAt, dataAt + (int) len);
                    events.add(new SmfFile.Event(tick, eventOffset, SmfFile.Kind.META, status, type, 0, data));
                    p = dataAt + (int) len;
                    if (type == END_OF_TRACK) {
                        ended = true;
                    }
                } else if (status == 0xF0 || status == 0xF7) {
                    long len = vlq(p + 1, end, "the system exclusive length");
                    int dataAt = afterVlq;
                    if (dataAt + len > end) {
                        need(dataAt, len, end, "the system exclusive's " + len + " data bytes");
                    }
                    byte[] data = java.util.Arrays.copyOfRange(b, dataAt, dataAt + (int) len);
                    events.add(new SmfFile.Event(tick, eventOffset, SmfFile.Kind.SYSEX, status, 0, 0, data));
                    p = dataAt + (int) len;
                    running = 0;
                } else if (status >= 0xF0) {
                    throw new SmfException(where, p, String.format(Locale.ROOT,
                            "status 0x%02X (a system common or real-time message) cannot appear in a MIDI file", status));
                } else {
                    int dataAt;
                    if (status >= 0x80) {
                        running = status;
                        dataAt = p + 1;
                    } else if (running == 0) {
                        throw new SmfException(where, p, String.format(Locale.ROOT,
                                "data byte 0x%02X with no status byte before it (running status without a status)", status));
                    } else {
                        status = running;
                        dataAt = p;
                    }
                    int cmd = status & 0xF0;
                    int count = cmd == 0xC0 || cmd == 0xD0 ? 1 : 2;
                    if (dataAt + count > end) { // the message is built only when it is needed
                        need(dataAt, count, end, count + " data byte" + (count == 1 ? "" : "s") + " for " + command(status));
                    }
                    int d1 = b[dataAt] & 0xff;
                    int d2 = count == 2 ? b[dataAt + 1] & 0xff : 0;
                    if (d1 >= 0x80 || d2 >= 0x80) {
                        int bad = d1 >= 0x80 ? dataAt : dataAt + 1;
                        throw new SmfException(where, bad, String.format(Locale.ROOT,
                                "expected a data byte (below 0x80) for %s, found 0x%02X", command(status), b[bad] & 0xff));
                    }
                    events.add(new SmfFile.Event(tick, eventOffset, SmfFile.Kind.CHANNEL, status, d1, d2, NO_DATA));
                    p = dataAt + count;
                }
            }
            if (!ended) {
                throw new SmfException(where, end, "the track has no End of Track event (FF 2F 00) before its chunk ends; "
                        + "the track is cut short or its length is wrong");
            }
            return new SmfFile.Track(index, chunkOffset, events);
        }

        /** Reads a variable-length quantity at {@code p} and returns it; {@link #afterVlq} is then the offset after it. */
        private long vlq(int p, int end, String what) throws SmfException {
            long v = 0;
            for (int i = 0; i < MAX_VLQ_BYTES; i++) {
                if (p + i >= end) {
                    need(p + i, 1, end, what);
                }
                int x = b[p + i] & 0xff;
                v = (v << 7) | (x & 0x7f);
                if ((x & 0x80) == 0) {
                    afterVlq = p + i + 1;
                    return v;
                }
            }
            throw new SmfException(where, p, what + " is longer than 4 bytes (a variable-length quantity ends with a byte below 0x80)");
        }

        private void need(long p, long count, int end, String what) throws SmfException {
            if (p + count > end) {
                boolean fileEnd = end == b.length;
                throw new SmfException(where, p, "expected " + what + " but the " + (fileEnd ? "file" : "track chunk")
                        + " ends at byte " + end + "; the track is cut short or its length is wrong");
            }
        }

        private String notMidi() {
            int i = 0;
            while (i < b.length && i < 64 && Character.isWhitespace(b[i])) {
                i++;
            }
            if (i < b.length && (b[i] == '{' || b[i] == '[')) {
                return "this is JSON text, not a MIDI file (a Concerto score needs the extension .json)";
            }
            if (i < b.length && b[i] == '<') {
                return "this is XML or HTML text, not a MIDI file (MusicXML needs the extension .musicxml or .xml)";
            }
            if (startsWith(0, "RIFF")) {
                return "a RIFF file (RMID or WAV), not a standard MIDI file; export it as a plain .mid";
            }
            return "not a standard MIDI file: expected \"MThd\", found bytes " + hex(0, Math.min(4, b.length));
        }

        private boolean startsWith(int p, String magic) {
            if (b.length < p + magic.length()) {
                return false;
            }
            for (int i = 0; i < magic.length(); i++) {
                if (b[p + i] != magic.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private String ascii(int p, int n) {
            return new String(b, p, n, StandardCharsets.ISO_8859_1);
        }

        private String hex(int p, int n) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < n; i++) {
                s.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02X", b[p + i] & 0xff));
            }
            return s.toString();
        }

        private int u16(int p) {
            return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
        }

        private long u32(int p) {
            return ((long) (b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
        }

        private static String command(int status) {
            String name = switch (status & 0xF0) {
                case 0x80 -> "note off";
                case 0x90 -> "note on";
                case 0xA0 -> "key pressure";
                case 0xB0 -> "control change";
                case 0xC0 -> "program change";
                case 0xD0 -> "channel pressure";
                default -> "pitch bend";
            };
            return String.format(Locale.ROOT, "%s (status 0x%02X)", name, status);
        }
    }
}
