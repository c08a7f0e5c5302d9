package dev.concerto.director.live;

import dev.concerto.protocol.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.Transmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell of one MIDI input: a {@link Receiver} that stamps each message with the monotonic time
 * it entered the JVM and hands it on. Opened on a port ({@link #open}) it owns the device and its
 * transmitter, and a watch thread that treats a port that disappears (a USB keyboard unplugged) as
 * gone; without a port ({@link #receiverOnly}) any in-JVM transmitter can be connected to
 * {@link #receiver()} (the JDK's {@code Sequencer}, in tests and for files).
 *
 * <p>"Gone" is reported once, also when the transmitter closes our receiver: the session then
 * silences every note (a note-off that can no longer arrive must not leave a tone stuck).
 */
public final class MidiInput implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MidiInput.class);
    /** How often the watch thread looks for the port. */
    static final long WATCH_MILLIS = 500;

    /** Where messages go; called on the MIDI system's thread, must return quickly. */
    public interface Handler {
        void message(MidiMessage message, long arrivalNanos);

        /** The input is gone (port vanished or transmitter closed); called once. */
        void gone(String why);
    }

    private final String name;
    private final MidiDevice device;
    private final Transmitter transmitter;
    private final StampingReceiver receiver;
    private final Thread watch;
    private volatile boolean closed;

    private MidiInput(String name, MidiDevice device, Transmitter transmitter, StampingReceiver receiver) {
        this.name = name;
        this.device = device;
        this.transmitter = transmitter;
        this.receiver = receiver;
        if (device != null) {
            watch = new Thread(this::watch, "concerto-midi-watch");
            watch.setDaemon(true);
        } else {
            watch = null;
        }
    }

    /**
     * Opens a port and starts listening.
     *
     * @throws MidiUnavailableException when the port is busy or gone
     */
    public static MidiInput open(MidiDevices.Port port, Clock clock, Handler handler) throws MidiUnavailableException {
        MidiDevice device = MidiSystem.getMidiDevice(port.info());
        device.open();
        try {
            Transmitter t = device.getTransmitter();
            StampingReceiver r = new StampingReceiver(clock, handler);
            t.setReceiver(r);
            MidiInput in = new MidiInput(port.name(), device, t, r);
            in.watch.start();
            return in;
        } catch (MidiUnavailableException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** An input fed by whatever transmitter is connected to {@link #receiver()}. */
    public static MidiInput receiverOnly(String name, Clock clock, Handler handler) {
        return new MidiInput(name, null, null, new StampingReceiver(clock, handler));
    }

    public String name() {
        return name;
    }

    /** The receiver to connect a transmitter to. */
    public Receiver receiver() {
        return receiver;
    }

    /** Messages received. */
    public long messageCount() {
        return receiver.count;
    }

    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(WATCH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed && (!device.isOpen() || !MidiDevices.present(device.getDeviceInfo()))) {
                LOG.warn("MIDI input '{}' disappeared: all notes off", name);
                receiver.gone("the MIDI port '" + name + "' disappeared");
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (watch != null) {
            watch.interrupt();
        }
        if (transmitter != null) {
            transmitter.close();
        }
        if (device != null) {
            device.close();
        }
        receiver.closedByUs = true;
    }

    private static final class StampingReceiver implements Receiver {
        private final Clock clock;
        private final Handler handler;
        private final AtomicBoolean gone = new AtomicBoolean();
        private volatile boolean closedByUs;
        private volatile long count;

        StampingReceiver(Clock clock, Handler handler) {
            this.clock = Objects.requireNonNull(clock, "clock");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        @Override
        public void send(MidiMessage message, long timeStampMicros) {
            long now = clock.nanoTime();
            if (gone.get()) {
                return;
            }
            count++; // written by the one MIDI thread that calls send
            handler.message(message, now);
        }

        void gone(String why) {
            if (gone.compareAndSet(false, true)) {
                handler.gone(why);
            }
        }

        @Override
        public void close() {
            if (!closedByUs) {
                gone("the MIDI transmitter closed");
            }
        }
    }
}
