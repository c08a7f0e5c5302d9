package dev.concerto.director.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sound.midi.MidiMessage;

/**
 * The live input's core: takes keyboard messages and OSC commands (each with the time it arrived),
 * decides with the {@link VoiceAllocator} which player sounds what, and hands every change to the
 * {@link LiveNoteSink} at the right moment: a timed player one lead before the change is due, a
 * plain-integer player when it is due. Keyboard notes are due at arrival plus the player's lead (so
 * a chord sounds together on all timed players); an OSC bundle's notes are due at its time tag.
 *
 * <p>Sans-I/O: it owns no thread and no socket and reads no clock. The shells call the
 * {@code on...} methods from any thread (they only enqueue, then {@link #setWakeUp wake} the
 * loop), and one loop thread ({@link LiveLoop}) calls {@link #runDue(long)} with the time and waits
 * until the time it returns. Tests drive it on a fake clock with a recording sink.
 *
 * <p>OSC transport, subscription and load commands are handed, at their due time and on the loop
 * thread, to the {@code commands} consumer given at construction (the session's).
 */
public final class LiveConductor {

    /** Told of what the conductor decides, on the loop thread; must return in microseconds (queue the work). */
    @FunctionalInterface
    public interface NoteListener {
        /** A change handed to the sink (a note, its end, a silence). */
        void onChange(LiveNote note);

        /**
         * A note-on that found no free player: what the allocator did instead.
         *
         * @param inputNanos when the note-on arrived; {@code nowNanos} when it was decided (monotonic clock)
         */
        default void onDecision(VoiceDecision decision, long inputNanos, long nowNanos) {
        }
    }

    /** What one player sounds, as the conductor last told it. */
    public record PlayerState(int player, String name, String voice, double hz, int key) {
    }

    /** Figures for people, immutable. */
    public record Stats(VoiceAllocator.Counts keyboard, long oscNotes, long changesSent, long lateChanges,
                        long maxLatenessNanos, boolean consistent) {
    }

    private sealed interface Input {
    }

    private record Midi(MidiMessage message, long arrivalNanos) implements Input {
    }

    private record Osc(OscInbox.Scheduled scheduled) implements Input {
    }

    private record AllOff() implements Input {
    }

    private record Action(long runAtNanos, long seq, int player, double hz, long dueNanos, long token,
                          OscCommand command, long inputNanos) {
        boolean isCommand() {
            return command != null;
        }
    }

    private final VoiceAllocator allocator;
    private final LiveNoteSink sink;
    private final Consumer<OscCommand> commands;
    private final ConcurrentLinkedQueue<Input> inbox = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Action> actions = new PriorityQueue<>((a, b) -> a.runAtNanos != b.runAtNanos
            ? Long.compare(a.runAtNanos, b.runAtNanos) : Long.compare(a.seq, b.seq));
    private final List<NoteListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Runnable wakeUp = () -> { };

    // loop-thread state
    private long seq;
    private long lastMidiArrival = Long.MIN_VALUE / 2;
    private long chordBase;
    private final long[] token;
    private final double[] sounding;
    private final int[] soundingKey;

    // published figures
    private final AtomicLong oscNotes = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong maxLateness = new AtomicLong();
    private volatile VoiceAllocator.Counts keyboardCounts = new VoiceAllocator.Counts(0, 0, 0, 0);
    private volatile List<PlayerState> players;
    private volatile boolean consistent = true;

    /**
     * Key messages that arrive within this of the previous one are timed with it (one chord), ns.
     * 3 ms: longer than a MIDI cable takes to carry a four-note chord (2 bytes a note with running
     * status at 31.25 kbaud: ~2.6 ms), far shorter than a player strikes keys apart on purpose.
     */
    static final long CHORD_WINDOW_NANOS = 3_000_000;

    /** A change handed to the sink more than this after its send time counts as late. */
    static final long LATE_NANOS = 2_000_000;

    public LiveConductor(VoiceAllocator allocator, LiveNoteSink sink, Consumer<OscCommand> commands) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.commands = Objects.requireNonNull(commands, "commands");
        int n = sink.playerCount();
        if (allocator.voices().size() != n) {
            throw new IllegalArgumentException("the allocator has " + allocator.voices().size() + " players, the sink " + n);
        }
        token = new long[n];
        sounding = new double[n];
        soundingKey = new int[n];
        java.util.Arrays.fill(soundingKey, -1);
        publishPlayers();
    }

    /** Called after each input is enqueued (the loop's waiter wakes). */
    public void setWakeUp(Runnable r) {
        this.wakeUp = Objects.requireNonNull(r, "wakeUp");
    }

    public void addListener(NoteListener l) {
        listeners.add(l);
    }

    public void removeListener(NoteListener l) {
        listeners.remove(l);
    }

    // ------------------------------------------------------------------ inputs (any thread)

    /** A keyboard message that arrived at {@code arrivalNanos}. Thread-safe; returns at once. */
    public void onMidi(MidiMessage message, long arrivalNanos) {
        inbox.add(new Midi(message, arrivalNanos));
        wakeUp.run();
    }

    /** An OSC command with its due time. Thread-safe; returns at once. */
    public void onOsc(OscInbox.Scheduled scheduled) {
        inbox.add(new Osc(scheduled));
        wakeUp.run();
    }

    /** The input device disappeared, or a panic: every note off now. Thread-safe. */
    public void onAllNotesOff() {
        inbox.add(new AllOff());
        wakeUp.run();
    }

    // ------------------------------------------------------------------ the loop (one thread)

    /**
     * Handles every input waiting and every action due by {@code nowNanos}.
     *
     * @return when the next action is due ({@link Long#MAX_VALUE}: nothing scheduled; wait for input)
     */
    public long runDue(long nowNanos) {
        Input in;
        while ((in = inbox.poll()) != null) {
            accept(in, nowNanos);
        }
        Action a;
        while ((a = actions.peek()) != null && a.runAtNanos <= nowNanos) {
            actions.poll();
            run(a, nowNanos);
        }
        keyboardCounts = allocator.counts();
        consistent = allocator.consistent();
        return actions.isEmpty() ? Long.MAX_VALUE : actions.peek().runAtNanos;
    }

    private void accept(Input in, long now) {
        if (in instanceof Midi m) {
            long arrival = m.arrivalNanos();
            // Keys of one chord reach the JVM one after another (a MIDI cable takes ~1 ms for three
            // notes; a sequencer delivers them in turn): within the chord window they share one time.
            long base = arrival - lastMidiArrival <= CHORD_WINDOW_NANOS && arrival >= lastMidiArrival ? chordBase : arrival;
            lastMidiArrival = arrival;
            chordBase = base;
            for (VoiceChange c : allocator.handle(m.message())) {
                change(c.player(), c.hz(), c.key(), base + sink.leadNanos(c.player()), arrival, now, LiveNote.Source.KEYBOARD);
            }
            VoiceDecision d = allocator.takeDecision();
            if (d != null) {
                for (NoteListener l : listeners) {
                    l.onDecision(d, arrival, now);
                }
            }
        } else if (in instanceof AllOff) {
            allocator.allNotesOff();
            sink.silenceAll();
            for (int p = 0; p < sounding.length; p++) {
                token[p]++;
                if (sounding[p] != 0) {
                    record(new LiveNote(p, 0, -1, now, now, now, LiveNote.Source.ALL_OFF));
                }
            }
        } else if (in instanceof Osc o) {
            osc(o.scheduled(), now);
        }
    }

    private void osc(OscInbox.Scheduled s, long now) {
        OscCommand c = s.command();
        if (c instanceof OscCommand.Note n) {
            oscNotes.incrementAndGet();
            for (int p : playersOf(n.voice())) {
                long due = start(p, n.hz(), s, now);
                schedule(p, 0, due + Math.round(n.seconds() * 1e9), token[p], s.dueNanos());
            }
        } else if (c instanceof OscCommand.VoiceHz v) {
            for (int p : playersOf(v.voice())) {
                start(p, v.hz(), s, now);
            }
        } else if (c instanceof OscCommand.Panic) {
            accept(new AllOff(), now);
        } else {
            actions.add(new Action(s.dueNanos(), seq++, -1, 0, s.dueNanos(), 0, c, s.dueNanos()));
        }
    }

    /**
     * Starts an OSC note on a player: a timed one (a bundle's tag) is scheduled one lead before its
     * tag; an untimed one is handed over now, due one lead from its arrival (as a key would be).
     *
     * @return when it is due
     */
    private long start(int p, double hz, OscInbox.Scheduled s, long now) {
        if (s.timed()) {
            schedule(p, hz, s.dueNanos(), ++token[p], s.dueNanos());
            return s.dueNanos();
        }
        long due = s.dueNanos() + sink.leadNanos(p);
        change(p, hz, -1, due, s.dueNanos(), now, LiveNote.Source.OSC);
        return due;
    }

    private void schedule(int p, double hz, long due, long t, long input) {
        actions.add(new Action(due - sink.leadNanos(p), seq++, p, hz, due, t, null, input));
    }

    private void run(Action a, long now) {
        if (a.isCommand()) {
            commands.accept(a.command());
            return;
        }
        if (a.token != token[a.player]) {
            return; // another note took this player since: this one's end must not cut it
        }
        long lateness = now - a.runAtNanos;
        if (lateness > LATE_NANOS) {
            late.incrementAndGet();
        }
        maxLateness.accumulateAndGet(lateness, Math::max);
        sink.sound(a.player, a.hz, a.dueNanos);
        record(new LiveNote(a.player, a.hz, -1, a.dueNanos, a.inputNanos, now, LiveNote.Source.OSC));
    }

    private void change(int p, double hz, int key, long due, long input, long now, LiveNote.Source source) {
        token[p]++;
        sink.sound(p, hz, due);
        record(new LiveNote(p, hz, hz == 0 ? -1 : key, due, input, now, source));
    }

    private void record(LiveNote n) {
        changes.incrementAndGet();
        sounding[n.player()] = n.hz();
        soundingKey[n.player()] = n.key();
        for (NoteListener l : listeners) {
            l.onChange(n);
        }
        publishPlayers();
    }

    private List<Integer> playersOf(String voice) {
        List<Integer> out = new ArrayList<>(2);
        for (int p = 0; p < sink.playerCount(); p++) {
            if (voice.equals(sink.playerVoice(p)) || voice.equals(sink.playerName(p))) {
                out.add(p);
            }
        }
        return out;
    }

    private void publishPlayers() {
        List<PlayerState> out = new ArrayList<>(sounding.length);
        for (int p = 0; p < sounding.length; p++) {
            out.add(new PlayerState(p, sink.playerName(p), sink.playerVoice(p), sounding[p], soundingKey[p]));
        }
        players = List.copyOf(out);
    }

    // ------------------------------------------------------------------ figures (any thread)

    /** What each player sounds now. */
    public List<PlayerState> players() {
        return players;
    }

    public Stats stats() {
        return new Stats(keyboardCounts, oscNotes.get(), changes.get(), late.get(), maxLateness.get(), consistent);
    }

    /** The allocator (its settings; its state belongs to the loop thread). */
    public VoiceAllocator allocator() {
        return allocator;
    }
}
