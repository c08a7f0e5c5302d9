package dev.concerto.player.cli;

import dev.concerto.player.AllowList;
import dev.concerto.player.PlayerConfig;
import dev.concerto.player.synth.LineTestAids;
import dev.concerto.player.synth.SynthSettings;
import dev.concerto.player.synth.Waveform;
import dev.concerto.player.core.PlayerLimits;
import dev.concerto.protocol.Authenticator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The generator and policy options shared by {@code player} and {@code ensemble}. */
final class GeneratorOptions {

    @Option(names = "--synth", paramLabel = "KIND", defaultValue = "auto",
            description = "Tone generator: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). auto = javasound when"
                    + " an audio line is available, otherwise virtual with a warning. virtual = synthesized in real"
                    + " time and discarded; wav = only into --wav; null = nothing; pi4j = hardware PWM (--gpio).")
    SynthKind synth;

    @Option(names = "--wav", paramLabel = "FILE",
            description = "Also record exactly what is synthesized into this 16-bit PCM WAV (with --synth wav it is"
                    + " the only output). Finished on exit.")
    Path wav;

    @Option(names = "--waveform", paramLabel = "SHAPE", defaultValue = "square",
            description = "Wave shape: square (50 %% duty, like the PWM buzzer), sine, triangle, sawtooth"
                    + " (default: ${DEFAULT-VALUE}).")
    String waveform;

    @Option(names = "--volume", paramLabel = "0..1", defaultValue = "0.5",
            description = "Peak amplitude of a voice, 0..1 (default: ${DEFAULT-VALUE}).")
    double volume;

    @Option(names = "--buffer-ms", paramLabel = "N", defaultValue = "20",
            description = "Audio line buffer in milliseconds, 2..500 (default: ${DEFAULT-VALUE}). Smaller is"
                    + " faster but may crackle on a busy machine.")
    int bufferMs;

    @Option(names = "--sample-rate", paramLabel = "HZ", defaultValue = "48000",
            description = "Synthesis sample rate in Hz, 8000..192000 (default: ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(names = "--gpio", paramLabel = "N", defaultValue = "18",
            description = "BCM GPIO pin of the buzzer for --synth pi4j: a hardware PWM pin, 12, 13, 18 or 19"
                    + " (default: ${DEFAULT-VALUE}).")
    int gpio;

    @Option(names = "--pwm-provider", paramLabel = "ID", defaultValue = "linuxfs-pwm",
            description = "Pi4J PWM provider for --synth pi4j: linuxfs-pwm (sysfs; needs dtoverlay=pwm; Pi 5"
                    + " too) or pigpio-pwm (needs root, not on the Pi 5) (default: ${DEFAULT-VALUE}).")
    String pwmProvider;

    @Option(names = "--allow", paramLabel = "ADDR[/PREFIX]",
            description = "Accept datagrams only from this address or network (repeatable), e.g. 192.168.4.0/24"
                    + " or ::1; others are dropped and counted as not-allowed. Default: everyone.")
    List<String> allow = new ArrayList<>();

    @Option(names = "--watchdog", paramLabel = "SECONDS", defaultValue = "30",
            description = "Nothing sounds longer than this after the last valid datagram (plain or timed): the"
                    + " tone is cut at that exact time and scheduled changes are withdrawn; 0 = off"
                    + " (default: ${DEFAULT-VALUE}, longer than any held note).")
    double watchdog;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "Shared key of the timed protocol (the file's raw bytes, at least 16; e.g. made with"
                    + " 'head -c 32 /dev/urandom > concerto.key'). Timed messages must then carry a valid MAC:"
                    + " unsigned ones are dropped as unauthenticated, wrong ones as forged; sync replies are"
                    + " signed; plain integers are refused (unauthenticated); copies of accepted messages are duplicates,"
                    + " whoever sends them (see PROTOCOL.md). Default: no key.")
    Path keyFile;

    @Option(names = "--test-stall-ms", paramLabel = "MS", defaultValue = "0", hidden = true,
            description = "TESTING AID: block the audio thread once for this long (a stalled sound device), to"
                    + " see the player get back in time; javasound output only (default: never).")
    int testStallMs;

    @Option(names = "--test-stall-after", paramLabel = "SECONDS", defaultValue = "5", hidden = true,
            description = "TESTING AID: when --test-stall-ms is set, stall this long after the line is ready"
                    + " (default: ${DEFAULT-VALUE}).")
    double testStallAfter;

    @Option(names = "--test-output-delay-ms", paramLabel = "MS", defaultValue = "0", hidden = true,
            description = "TESTING AID: sound every scheduled (timed) change this much later, as a slower device"
                    + " would; microphone calibration should find it; javasound output only (default: 0).")
    double testOutputDelayMs;

    /** The simulated faults of the --test-* options. */
    LineTestAids lineTestAids() {
        try {
            return new LineTestAids(testStallAfter, testStallMs, testOutputDelayMs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--test-stall-ms/--test-stall-after/--test-output-delay-ms: " + e.getMessage());
        }
    }

    @Option(names = "--max-lease-ms", paramLabel = "MS", defaultValue = "" + PlayerLimits.DEFAULT_MAX_LEASE_MILLIS,
            description = "Longest lease a timed tone may have; a longer one is cut to it and counted as"
                    + " leases-clamped (default: ${DEFAULT-VALUE}; a Concerto director sends at most 2000).")
    int maxLeaseMs;

    @Option(names = "--max-ahead-ms", paramLabel = "MS", defaultValue = "" + PlayerLimits.DEFAULT_MAX_AHEAD_MILLIS,
            description = "How far after its arrival a timed tone may start; a later one is refused as too-early"
                    + " (default: ${DEFAULT-VALUE}; a director's lead is 100-300 ms).")
    int maxAheadMs;

    @Option(names = "--max-age-ms", paramLabel = "MS", defaultValue = "" + PlayerLimits.DEFAULT_MAX_AGE_MILLIS,
            description = "With --key-file: how long before its arrival a signed tone may start; an older one is"
                    + " refused as too-old, so a held-back copy cannot be played later (default: ${DEFAULT-VALUE}).")
    int maxAgeMs;

    /** The timed protocol's guards; a clear IllegalArgumentException when out of range. */
    PlayerLimits limits() {
        try {
            return new PlayerLimits(maxLeaseMs, maxAheadMs, maxAgeMs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-lease-ms/--max-ahead-ms/--max-age-ms: " + e.getMessage(), e);
        }
    }

    /** The authenticator of --key-file, or null; a clear IllegalArgumentException when unusable. */
    Authenticator authenticator() {
        if (keyFile == null) {
            return null;
        }
        byte[] key;
        try {
            key = java.nio.file.Files.readAllBytes(keyFile);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("--key-file " + keyFile + ": no such file");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--key-file " + keyFile + ": cannot be read (" + e.getMessage() + ")");
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("--key-file " + keyFile + " holds " + key.length
                    + " bytes; a shared key needs at least 16 (e.g. head -c 32 /dev/urandom > " + keyFile + ")");
        }
        return new Authenticator(key);
    }

    SynthSettings settings() {
        Waveform w;
        try {
            w = Waveform.valueOf(waveform.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--waveform '" + waveform + "': use square, sine, triangle or sawtooth");
        }
        return new SynthSettings(sampleRate, w, volume, bufferMs, SynthSettings.defaults().rampMs());
    }

    AllowList allowList() {
        return AllowList.parse(allow);
    }

    void validate() {
        settings();
        lineTestAids();
        allowList();
        authenticator();
        limits();
        if (!(watchdog >= 0) || Double.isInfinite(watchdog)) {
            throw new IllegalArgumentException("--watchdog must be >= 0 seconds (0 = off), got " + watchdog);
        }
        if (synth == SynthKind.WAV && wav == null) {
            throw new IllegalArgumentException("--synth wav needs --wav FILE");
        }
        if ((synth == SynthKind.PI4J || synth == SynthKind.NULL) && wav != null) {
            throw new IllegalArgumentException("--wav records synthesized audio: use it with --synth auto, javasound,"
                    + " virtual or wav, not " + synth);
        }
    }

    static double defaultWatchdog() {
        return PlayerConfig.DEFAULT_WATCHDOG_SECONDS;
    }
}
