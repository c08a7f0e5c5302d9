package dev.concerto.director.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sound.midi.ShortMessage;

/**
 * Turns a keyboard's MIDI channel messages into what each monophonic roster player sounds: a pure
 * state machine (no clock, no thread, no I/O) that returns the changes to send.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A note-on goes to a free player chosen by the {@link AllocationPolicy}; when every eligible
 *       player is sounding, the {@link OverflowPolicy} steals the oldest note (a key already released
 *       but held by the pedal first) or drops the new note. Both are counted.</li>
 *   <li>A note-on of a key that already sounds on the same channel re-strikes it on its player.
 *       A note-on with velocity 0 is a note-off.</li>
 *   <li>Sustain (CC64 &ge; 64) keeps released keys sounding until the pedal is lifted.</li>
 *   <li>All Sound Off (CC120) and All Notes Off (CC123) silence every note of that channel at once,
 *       pedal or not (a panic button should be obeyed); Reset All Controllers (CC121) centres the
 *       bend and lifts the pedal.</li>
 *   <li>Pitch bend moves every sounding note of its channel by up to the mapping's bend range.</li>
 *   <li>A key whose transposed frequency is off the keyboard or outside 1..20000 Hz is not played
 *       and is counted as out of range.</li>
 * </ul>
 *
 * <p>What each player holds is kept in {@link PlayerSlots}; which player takes a note is
 * {@link PlayerChoice}'s; this class reads the messages and keeps the per-channel state (pedal, bend,
 * dropped keys), the counts and the mapping.
 *
 * <p>Not thread-safe: one owner feeds it (the live session serialises MIDI and OSC input).
 */
public final class VoiceAllocator {

    /** MIDI controller numbers this allocator obeys. */
    public static final int CC_SUSTAIN = 64;
    public static final int CC_ALL_SOUND_OFF = 120;
    public static final int CC_RESET_ALL_CONTROLLERS = 121;
    public static final int CC_ALL_NOTES_OFF = 123;
    private static final int CHANNELS = 16;
    private static final int BEND_CENTRE = 8192;

    /**
     * Counters since this allocator was made; immutable.
     *
     * @param notes      note-ons that sounded
     * @param stolen     notes cut short because a new note took their player
     * @param dropped    new notes not played because every eligible player was sounding
     * @param outOfRange new notes not played because no player could take the key (range, channel,
     *                   or its frequency outside the wire's range)
     */
    public record Counts(long notes, long stolen, long dropped, long outOfRange) {
    }

    /** What one player sounds now, for views: {@code key} -1 when silent. */
    public record Held(int player, int key, int channel0, double hz, boolean released) {
    }

    private final List<LiveVoice> voices;
    private final AllocationPolicy policy;
    private final OverflowPolicy overflow;
    private final PlayerSlots slots;
    private final PlayerChoice choice;
    private KeyMapping mapping;

    // per channel
    private final boolean[] pedal = new boolean[CHANNELS];
    private final double[] bend = new double[CHANNELS];
    /** Dropped keys per channel (bit per key), so their note-offs are not mistaken for others. */
    private final long[][] droppedKeys = new long[CHANNELS][2];

    private long notes;
    private long stolen;
    private long dropped;
    private long outOfRange;
    private VoiceDecision decision;

    public VoiceAllocator(List<LiveVoice> voices, AllocationPolicy policy, OverflowPolicy overflow, KeyMapping mapping) {
        this.voices = List.copyOf(voices);
        if (this.voices.isEmpty()) {
            throw new IllegalArgumentException("live input needs at least one player");
        }
        this.policy = Objects.requireNonNull(policy, "policy");
        this.overflow = Objects.requireNonNull(overflow, "overflow");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.slots = new PlayerSlots(this.voices.size());
        this.choice = new PlayerChoice(this.voices, policy);
    }

    public AllocationPolicy policy() {
        return policy;
    }

    public OverflowPolicy overflow() {
        return overflow;
    }

    public KeyMapping mapping() {
        return mapping;
    }

    public List<LiveVoice> voices() {
        return voices;
    }

    /**
     * Changes transposition or tuning; sounding notes are re-tuned at once.
     *
     * @return the changes for the sounding players
     */
    public List<VoiceChange> setMapping(KeyMapping newMapping) {
        this.mapping = Objects.requireNonNull(newMapping, "mapping");
        List<VoiceChange> out = new ArrayList<>();
        for (int p = 0; p < slots.size(); p++) {
            if (slots.sounding(p)) {
                retune(p, out);
            }
        }
        return out;
    }

    /**
     * Handles one MIDI message (a {@link ShortMessage}; anything else, and system messages, change
     * nothing).
     */
    public List<VoiceChange> handle(javax.sound.midi.MidiMessage message) {
        if (!(message instanceof ShortMessage m)) {
            return List.of();
        }
        int ch = m.getChannel();
        return switch (m.getCommand()) {
            case ShortMessage.NOTE_ON -> m.getData2() == 0 ? noteOff(ch, m.getData1()) : noteOn(ch, m.getData1(), m.getData2());
            case ShortMessage.NOTE_OFF -> noteOff(ch, m.getData1());
            case ShortMessage.CONTROL_CHANGE -> controlChange(ch, m.getData1(), m.getData2());
            case ShortMessage.PITCH_BEND -> pitchBend(ch, (m.getData2() << 7) | m.getData1());
            default -> List.of();
        };
    }

    /**
     * A key pressed.
     *
     * @param channel0 0..15
     * @param k        0..127
     * @param velocity 1..127 (0 is a note-off)
     */
    public List<VoiceChange> noteOn(int channel0, int k, int velocity) {
        checkChannel(channel0);
        checkKey(k);
        if (velocity == 0) {
            return noteOff(channel0, k);
        }
        clearDropped(channel0, k);
        int same = slots.find(channel0, k);
        if (same >= 0) {
            return List.of(strike(same, channel0, k));
        }
        double f = mapping.hz(k, bend[channel0]);
        if (f == 0 || !choice.anyEligible(channel0, k)) {
            outOfRange++;
            markDropped(channel0, k);
            decision = new VoiceDecision(VoiceDecision.Kind.OUT_OF_RANGE, -1, k, channel0, -1);
            return List.of();
        }
        int p = choice.free(slots, channel0, k);
        if (p < 0) {
            if (overflow == OverflowPolicy.DROP_NEW) {
                dropped++;
                markDropped(channel0, k);
                decision = new VoiceDecision(VoiceDecision.Kind.DROPPED, -1, k, channel0, -1);
                return List.of();
            }
            p = choice.oldest(slots, channel0, k);
            stolen++;
            decision = new VoiceDecision(VoiceDecision.Kind.STOLEN, p, k, channel0, slots.key(p));
        }
        choice.took(p);
        return List.of(strike(p, channel0, k));
    }

    /** A key released. */
    public List<VoiceChange> noteOff(int channel0, int k) {
        checkChannel(channel0);
        checkKey(k);
        if (clearDropped(channel0, k)) {
            return List.of();
        }
        int p = slots.find(channel0, k);
        if (p < 0) {
            return List.of(); // stolen earlier, or never pressed
        }
        if (pedal[channel0]) {
            slots.release(p);
            return List.of();
        }
        return List.of(slots.silence(p));
    }

    /** A controller moved; sustain, all-sound-off, reset-all-controllers and all-notes-off act. */
    public List<VoiceChange> controlChange(int channel0, int controller, int value) {
        checkChannel(channel0);
        switch (controller) {
            case CC_SUSTAIN -> {
                boolean down = value >= 64;
                boolean wasDown = pedal[channel0];
                pedal[channel0] = down;
                return wasDown && !down ? releaseHeld(channel0) : List.of();
            }
            case CC_ALL_SOUND_OFF, CC_ALL_NOTES_OFF -> {
                return silenceChannel(channel0);
            }
            case CC_RESET_ALL_CONTROLLERS -> {
                List<VoiceChange> out = new ArrayList<>(pitchBend(channel0, BEND_CENTRE));
                pedal[channel0] = false;
                out.addAll(releaseHeld(channel0));
                return out;
            }
            default -> {
                return List.of();
            }
        }
    }

    /**
     * The pitch wheel moved.
     *
     * @param value14 0..16383, 8192 centred
     */
    public List<VoiceChange> pitchBend(int channel0, int value14) {
        checkChannel(channel0);
        if (value14 < 0 || value14 > 16383) {
            throw new IllegalArgumentException("pitch bend " + value14 + " is outside 0..16383");
        }
        double b = value14 >= BEND_CENTRE ? (value14 - BEND_CENTRE) / 8191.0 : (value14 - BEND_CENTRE) / 8192.0;
        bend[channel0] = b;
        List<VoiceChange> out = new ArrayList<>();
        for (int p = 0; p < slots.size(); p++) {
            if (slots.sounding(p) && slots.channel(p) == channel0) {
                retune(p, out);
            }
        }
        return out;
    }

    /**
     * Silences every sounding player and forgets pedal and bend on every channel (a device that
     * disappeared, a panic, stopping live input).
     */
    public List<VoiceChange> allNotesOff() {
        List<VoiceChange> out = new ArrayList<>();
        for (int p = 0; p < slots.size(); p++) {
            if (slots.sounding(p)) {
                out.add(slots.silence(p));
            }
        }
        java.util.Arrays.fill(pedal, false);
        java.util.Arrays.fill(bend, 0);
        for (long[] d : droppedKeys) {
            d[0] = 0;
            d[1] = 0;
        }
        return out;
    }

    /**
     * What the last note-on did when it found no free player (stolen, dropped, out of range) since
     * the last call, or {@code null}; clears it.
     */
    public VoiceDecision takeDecision() {
        VoiceDecision d = decision;
        decision = null;
        return d;
    }

    public Counts counts() {
        return new Counts(notes, stolen, dropped, outOfRange);
    }

    /** What every player sounds now, in roster order. */
    public List<Held> held() {
        return slots.held();
    }

    /** How many players are sounding. */
    public int soundingCount() {
        return slots.soundingCount();
    }

    /**
     * Whether the state is self-consistent: no key sounds on two players, a silent player has no
     * frequency, a sounding one has a channel and a frequency, only pedal-held notes are released.
     */
    public boolean consistent() {
        return slots.consistent(ch -> pedal[ch]);
    }

    // ------------------------------------------------------------------ internals

    private VoiceChange strike(int p, int channel0, int k) {
        notes++;
        return slots.strike(p, channel0, k, mapping.hz(k, bend[channel0]));
    }

    private void retune(int p, List<VoiceChange> out) {
        double f = mapping.hz(slots.key(p), bend[slots.channel(p)]);
        if (f == 0) {
            out.add(slots.silence(p)); // bent or transposed off the wire's range
        } else if (f != slots.hz(p)) {
            out.add(slots.retune(p, f));
        }
    }

    private List<VoiceChange> releaseHeld(int channel0) {
        List<VoiceChange> out = new ArrayList<>();
        for (int p = 0; p < slots.size(); p++) {
            if (slots.sounding(p) && slots.channel(p) == channel0 && slots.released(p)) {
                out.add(slots.silence(p));
            }
        }
        return out;
    }

    private List<VoiceChange> silenceChannel(int channel0) {
        List<VoiceChange> out = new ArrayList<>();
        for (int p = 0; p < slots.size(); p++) {
            if (slots.sounding(p) && slots.channel(p) == channel0) {
                out.add(slots.silence(p));
            }
        }
        droppedKeys[channel0][0] = 0;
        droppedKeys[channel0][1] = 0;
        return out;
    }

    private void markDropped(int channel0, int k) {
        droppedKeys[channel0][k >> 6] |= 1L << (k & 63);
    }

    private boolean clearDropped(int channel0, int k) {
        long bit = 1L << (k & 63);
        boolean was = (droppedKeys[channel0][k >> 6] & bit) != 0;
        droppedKeys[channel0][k >> 6] &= ~bit;
        return was;
    }

    private static void checkChannel(int channel0) {
        if (channel0 < 0 || channel0 >= CHANNELS) {
            throw new IllegalArgumentException("MIDI channel " + channel0 + " is outside 0..15");
        }
    }

    private static void checkKey(int k) {
        if (k < 0 || k > 127) {
            throw new IllegalArgumentException("MIDI key " + k + " is outside 0..127");
        }
    }
}
