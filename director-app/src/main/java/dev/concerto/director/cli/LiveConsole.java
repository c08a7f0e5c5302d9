package dev.concerto.director.cli;

import dev.concerto.director.live.LiveConductor;
import dev.concerto.director.live.LiveSession;
import dev.concerto.director.live.MidiDevices;
import dev.concerto.director.score.NoteNames;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** What {@code concerto live} prints: the MIDI ports, a status line once a second, the summary at the end. */
final class LiveConsole {

    private LiveConsole() {
    }

    static void printPorts(PrintWriter out) {
        List<MidiDevices.Port> in = MidiDevices.inputs();
        List<MidiDevices.Port> outs = MidiDevices.outputs();
        out.println("MIDI inputs (--midi-in, --clock-in):");
        if (in.isEmpty()) {
            out.println("  none (plug in a keyboard, or make a virtual port: modprobe snd-virmidi)");
        }
        in.forEach(p -> out.println("  " + p));
        out.println("MIDI outputs (--clock-out):");
        if (outs.isEmpty()) {
            out.println("  none");
        }
        outs.forEach(p -> out.println("  " + p));
        out.flush();
    }

    /** Where each player is and what it speaks, and where OSC listens. */
    static void printSetUp(PrintWriter err, LiveSession session) {
        if (session.oscAddress() != null) {
            err.println("OSC in on udp " + session.oscAddress().getAddress().getHostAddress() + ":"
                    + session.oscAddress().getPort() + " (docs/osc.md)");
        }
        session.streams().forEach(s -> err.println("  " + s.entry().name() + " -> " + s.destination() + " ["
                + s.protocolInUse() + "]"));
        session.events().ifPresent(e -> err.println("events to " + e.path()));
        err.flush();
    }

    /** One line: what each player sounds, the allocator's counts, OSC's counts. */
    static void printStatus(PrintWriter out, LiveSession session) {
        StringBuilder b = new StringBuilder("sounding:");
        for (LiveConductor.PlayerState p : session.conductor().players()) {
            b.append(' ').append(p.name()).append('=')
                    .append(p.hz() == 0 ? "-" : (p.key() >= 0 ? NoteNames.nameOf(p.key()) + " " : "")
                            + String.format(Locale.ROOT, "%.1fHz", p.hz()));
        }
        LiveConductor.Stats s = session.conductor().stats();
        b.append(String.format(Locale.ROOT, "  notes %d stolen %d dropped %d", s.keyboard().notes(),
                s.keyboard().stolen(), s.keyboard().dropped()));
        if (session.oscCounts() != null) {
            b.append("  osc ").append(session.oscCounts().messages()).append(" msgs, ")
                    .append(session.oscCounts().refused()).append(" refused");
        }
        out.println(b);
        out.flush();
    }

    /** The summary after the session closed. */
    static void printSummary(PrintWriter out, LiveSession session) {
        LiveConductor.Stats s = session.conductor().stats();
        out.printf(Locale.ROOT, "%nlive: %d keyboard notes (%d stolen, %d dropped, %d out of range), %d OSC notes, "
                        + "%d changes sent, %d late; allocation %s%n", s.keyboard().notes(), s.keyboard().stolen(),
                s.keyboard().dropped(), s.keyboard().outOfRange(), s.oscNotes(), s.changesSent(), s.lateChanges(),
                s.consistent() ? "consistent" : "INCONSISTENT");
        session.events().ifPresent(e -> out.printf(Locale.ROOT, "events: %d lines in %s%s%n", e.written(), e.path(),
                e.lost() == 0 ? "" : ", " + e.lost() + " lost (queue full or file at its limit)"));
        out.flush();
    }
}
