package dev.concerto.player.cli;

import dev.concerto.player.synth.ClockMappedGenerator;
import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.SkewedClock;
import picocli.CommandLine.Option;

/**
 * Testing aids: run the player on a clock that is not the machine's (see {@link SkewedClock}).
 * Applied to everything the player does with time: sync replies, start times, leases, watchdog.
 */
final class ClockSkewOptions {

    @Option(names = "--clock-skew-ppm", paramLabel = "PPM", defaultValue = "0",
            description = "Testing aid: run this player's clock PPM parts per million fast (negative: slow), as a"
                    + " board's crystal would; -1000..1000 (default: ${DEFAULT-VALUE}).")
    double skewPpm;

    @Option(names = "--clock-step", paramLabel = "AFTER_S:BY_MS",
            description = "Testing aid: AFTER_S seconds after start, step this player's clock by BY_MS milliseconds"
                    + " (negative: back), as a rebooted board's clock would; e.g. 20:-3000.")
    String step;

    boolean active() {
        return skewPpm != 0 || step != null;
    }

    /** The clock to run on: the machine's, or a skewed one. */
    Clock clock(Clock base) {
        if (!active()) {
            return base;
        }
        long after = Long.MAX_VALUE;
        long by = 0;
        if (step != null) {
            String[] parts = step.split(":", -1);
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                after = Math.round(Double.parseDouble(parts[0]) * 1e9);
                by = Math.round(Double.parseDouble(parts[1]) * 1e6);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--clock-step '" + step + "' is not AFTER_S:BY_MS (e.g. 20:-3000)");
            }
            if (after < 0) {
                throw new IllegalArgumentException("--clock-step: AFTER_S must not be negative");
            }
        }
        return new SkewedClock(base, skewPpm, after, by);
    }

    /** The generator as the player must see it on {@code clock}. */
    static ToneGenerator view(ToneGenerator generator, Clock clock) {
        return clock instanceof SkewedClock s ? new ClockMappedGenerator(generator, s) : generator;
    }
}
