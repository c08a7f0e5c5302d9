package dev.concerto.director.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Sequencer;
import javax.sound.midi.Synthesizer;

/**
 * The machine's MIDI ports as {@code javax.sound.midi} sees them: inputs (devices with a
 * transmitter: keyboards, virtual ports, a DAW's output) and outputs (devices with a receiver). The
 * JDK's own sequencer and software synthesizer are left out: they are not ports.
 */
public final class MidiDevices {

    /** One port: its name as people see it and what it is. */
    public record Port(String name, String vendor, String description, MidiDevice.Info info) {
        @Override
        public String toString() {
            return name + (description.isBlank() || description.equals(name) ? "" : " (" + description + ")");
        }
    }

    private MidiDevices() {
    }

    /** Ports that send MIDI to us. */
    public static List<Port> inputs() {
        return list(true);
    }

    /** Ports we can send MIDI to. */
    public static List<Port> outputs() {
        return list(false);
    }

    private static List<Port> list(boolean inputs) {
        List<Port> out = new ArrayList<>();
        for (MidiDevice.Info info : MidiSystem.getMidiDeviceInfo()) {
            try {
                MidiDevice d = MidiSystem.getMidiDevice(info);
                if (d instanceof Sequencer || d instanceof Synthesizer) {
                    continue;
                }
                int n = inputs ? d.getMaxTransmitters() : d.getMaxReceivers();
                if (n != 0) {
                    out.add(new Port(info.getName(), info.getVendor(), info.getDescription(), info));
                }
            } catch (MidiUnavailableException | RuntimeException e) {
                // a port that vanished while we looked: not listed
            }
        }
        return out;
    }

    /**
     * The one port whose name equals {@code name}, or else contains it (case-insensitive).
     *
     * @throws IllegalArgumentException naming the ports there are, when none or several match
     */
    public static Port find(List<Port> ports, String name, String kind) {
        String n = name.toLowerCase(Locale.ROOT);
        List<Port> exact = ports.stream().filter(p -> p.name().equalsIgnoreCase(name)).toList();
        if (exact.size() == 1) {
            return exact.get(0);
        }
        List<Port> partial = ports.stream().filter(p -> p.name().toLowerCase(Locale.ROOT).contains(n)).toList();
        if (partial.size() == 1) {
            return partial.get(0);
        }
        String there = ports.isEmpty() ? "there are none on this machine (is the keyboard plugged in, or a virtual port"
                + " such as 'modprobe snd-virmidi' set up?)" : "there are: " + ports.stream().map(p -> "'" + p.name() + "'").toList();
        throw new IllegalArgumentException((partial.isEmpty() ? "no MIDI " + kind + " named '" + name + "'"
                : "several MIDI " + kind + "s match '" + name + "'") + "; " + there);
    }

    /** Whether a port is still listed by the system (a USB keyboard unplugged is not). */
    public static boolean present(MidiDevice.Info info) {
        for (MidiDevice.Info i : MidiSystem.getMidiDeviceInfo()) {
            if (i.equals(info)) {
                return true;
            }
        }
        return false;
    }
}
