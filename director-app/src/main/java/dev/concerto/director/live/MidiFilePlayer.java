package dev.concerto.director.live;

import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.nio.file.Path;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Sequence;
import javax.sound.midi.Sequencer;

/**
 * Plays a MIDI file into the live input as a keyboard would: the JDK's own {@link Sequencer} (not
 * connected to a synthesizer) transmits into a {@link MidiInput#receiverOnly receiver-only input},
 * which stamps each message as it enters, so a file exercises the same path as a keyboard (for
 * demos, tests and the bench). Owns the sequencer and the input; {@link #close()} ends both.
 */
public final class MidiFilePlayer implements AutoCloseable {

    private final Sequencer sequencer;
    private final MidiInput input;
    private final double seconds;

    private MidiFilePlayer(Sequencer sequencer, MidiInput input, double seconds) {
        this.sequencer = sequencer;
        this.input = input;
        this.seconds = seconds;
    }

    /**
     * Reads the file and starts playing it into {@code handler}.
     *
     * @throws IOException              when the file cannot be read
     * @throws InvalidMidiDataException when it is not a MIDI file
     * @throws MidiUnavailableException when the JDK's sequencer cannot be opened
     */
    public static MidiFilePlayer start(Path file, Clock clock, MidiInput.Handler handler)
            throws IOException, InvalidMidiDataException, MidiUnavailableException {
        Sequence sequence = MidiSystem.getSequence(file.toFile());
        MidiInput input = MidiInput.receiverOnly(file.getFileName().toString(), clock, handler);
        Sequencer sequencer = MidiSystem.getSequencer(false);
        sequencer.open();
        try {
            sequencer.getTransmitter().setReceiver(input.receiver());
            sequencer.setSequence(sequence);
            sequencer.start();
        } catch (MidiUnavailableException | InvalidMidiDataException | RuntimeException e) {
            sequencer.close();
            input.close();
            throw e;
        }
        return new MidiFilePlayer(sequencer, input, sequence.getMicrosecondLength() / 1e6);
    }

    /** The file's length, seconds. */
    public double seconds() {
        return seconds;
    }

    /** Whether the file is still playing. */
    public boolean isRunning() {
        return sequencer.isRunning();
    }

    /** Messages played into the live input so far. */
    public long messageCount() {
        return input.messageCount();
    }

    @Override
    public void close() {
        input.close(); // first: the sequencer closing its transmitter is then not taken for a device gone
        sequencer.close();
    }
}
