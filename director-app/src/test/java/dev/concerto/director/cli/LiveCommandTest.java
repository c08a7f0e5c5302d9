package dev.concerto.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LiveCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = DirectorMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "live";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    @Test
    void listPrintsTheMidiPortsOrSaysThereAreNone() {
        assertThat(run("--list")).isZero();
        assertThat(out.toString()).contains("MIDI inputs (--midi-in, --clock-in):").contains("MIDI outputs (--clock-out):");
    }

    @Test
    void withoutPlayersOrInputItSaysWhatIsMissing() {
        assertThat(run("--midi-in", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("--roster FILE, or --local");
        assertThat(run("--local")).isEqualTo(2);
        assertThat(err.toString()).contains("nothing to play from");
    }

    @Test
    void anUnknownMidiInputNamesWhatThereIs() {
        assertThat(run("--local", "--midi-in", "NoSuchKeyboard")).isEqualTo(2);
        assertThat(err.toString()).contains("no MIDI input named 'NoSuchKeyboard'");
    }

    @Test
    void badOptionsAreExplained() {
        assertThat(run("--local", "--osc", "--policy", "random")).isEqualTo(2);
        assertThat(err.toString()).contains("--policy random: use lowest, round-robin, range or channel");
        assertThat(run("--local", "--osc", "--range", "bass=C1-B2")).isEqualTo(2);
        assertThat(err.toString()).contains("write PLAYER=LOW..HIGH");
        assertThat(run("--local", "--osc", "--tuning", "meantone")).isEqualTo(2);
        assertThat(err.toString()).contains("--tuning meantone: use one of");
    }

    @Test
    void oscOnABusyPortSaysSoAndWhatToDo() throws Exception {
        try (java.net.DatagramSocket busy = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(run("--local", "1", "--osc-port", String.valueOf(busy.getLocalPort()), "--duration", "0.1")).isEqualTo(2);
            assertThat(err.toString()).contains("is in use").contains("--osc-port");
        }
    }

    @Test
    void runsLocalPlayersWithOscForADuration() {
        assertThat(run("--local", "2", "--osc-port", "0", "--duration", "0.5")).isZero();
        assertThat(err.toString()).contains("OSC in on udp 127.0.0.1:");
        assertThat(out.toString()).contains("live: 0 keyboard notes").contains("allocation consistent");
    }
}
