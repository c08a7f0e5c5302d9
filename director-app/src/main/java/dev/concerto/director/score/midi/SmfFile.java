package dev.concerto.director.score.midi;

import java.util.List;

/**
 * A Standard MIDI File as read by {@link SmfReader}: its format, its time division and its tracks
 * of events with absolute ticks. Immutable; thread-safe.
 *
 * @param format         0 (one track) or 1 (simultaneous tracks)
 * @param ticksPerQuarter the time division (pulses per quarter note)
 * @param tracks         the track chunks in file order
 */
public record SmfFile(int format, int ticksPerQuarter, List<Track> tracks) {

    public SmfFile {
        tracks = List.copyOf(tracks);
    }

    /** The events of one track chunk, in file order (so ticks never decrease). */
    public record Track(int index, long offset, List<Event> events) {
        public Track {
            events = List.copyOf(events);
        }
    }

    /** The kinds of event in a track. */
    public enum Kind { CHANNEL, META, SYSEX }

    /**
     * One event.
     *
     * @param tick   absolute time in ticks
     * @param offset byte offset of the event's delta time in the file
     * @param kind   channel message, meta event or system exclusive
     * @param status the status byte (0x80..0xEF for channel messages, 0xFF meta, 0xF0/0xF7 sysex)
     * @param type   the meta type (0x51 tempo, ...), or data byte 1 of a channel message
     * @param value  data byte 2 of a channel message (0 when it has one data byte)
     * @param data   a meta or sysex event's data; empty for channel messages
     */
    public record Event(long tick, long offset, Kind kind, int status, int type, int value, byte[] data) {

        /** The channel message's command (0x80 note off, 0x90 note on, 0xB0 controller, ...). */
        public int command() {
            return status & 0xF0;
        }

        /** The channel message's channel, 0..15. */
        public int channel() {
            return status & 0x0F;
        }
    }
}
