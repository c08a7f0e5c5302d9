package dev.concerto.netem;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A path between a director and one player: what happens in each direction.
 *
 * @param name       a short name for reports
 * @param toPlayer   director → player (tones, sync requests)
 * @param fromPlayer player → director (sync replies)
 */
public record PathProfile(String name, Direction toPlayer, Direction fromPlayer) {

    public PathProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(toPlayer, "toPlayer");
        Objects.requireNonNull(fromPlayer, "fromPlayer");
    }

    /** The same path, both directions alike. */
    public static PathProfile symmetric(String name, Direction both) {
        return new PathProfile(name, both, both);
    }

    /**
     * The named profiles the bench and the tests use. Figures per direction (both alike unless said):
     *
     * <table>
     *   <caption>Named profiles</caption>
     *   <tr><th>profile</th><th>base</th><th>jitter</th><th>loss</th><th>other</th></tr>
     *   <tr><td>lan</td><td>0.2 ms</td><td>lognormal median 0.05 ms, p99 0.3 ms</td><td>0</td><td>—</td></tr>
     *   <tr><td>wifi</td><td>2 ms</td><td>lognormal median 2 ms, p99 20 ms</td><td>1 %</td>
     *       <td>0.5 % duplicated</td></tr>
     *   <tr><td>wifi-busy</td><td>3 ms</td><td>lognormal median 2 ms, p99 40 ms; plus, for 2 % of
     *       datagrams, a Pareto tail (scale 30 ms, alpha 1.5, capped at 400 ms)</td><td>5 %</td>
     *       <td>1 % duplicated, 1 % reordered (+5 ms), 20 Mbit/s</td></tr>
     *   <tr><td>wifi-bursts</td><td colspan="3">as wifi</td><td>a 300 ms outage every 20 s (the first
     *       at 5 s)</td></tr>
     *   <tr><td>asymmetric</td><td colspan="3">as lan</td><td>+4 ms director → player only</td></tr>
     * </table>
     */
    public enum Named {
        LAN, WIFI, WIFI_BUSY, WIFI_BURSTS, ASYMMETRIC;

        /** The name on a command line: {@code wifi-busy}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The profile's parameters. */
        public PathProfile profile() {
            Direction lan = Direction.PERFECT.withBase(200).withJitter(new Jitter.LogNormal(50, 300));
            Direction wifi = Direction.PERFECT.withBase(2_000).withJitter(new Jitter.LogNormal(2_000, 20_000))
                    .withLoss(0.01).withDuplication(0.005);
            return switch (this) {
                case LAN -> symmetric(cliName(), lan);
                case WIFI -> symmetric(cliName(), wifi);
                case WIFI_BUSY -> symmetric(cliName(), Direction.PERFECT.withBase(3_000)
                        .withJitter(new Jitter.Mixture(new Jitter.LogNormal(2_000, 40_000), 0.02,
                                new Jitter.Pareto(30_000, 1.5, 400_000)))
                        .withLoss(0.05).withDuplication(0.01).withReordering(0.01, 5_000).withRate(20_000_000));
                case WIFI_BURSTS -> symmetric(cliName(), wifi.withBurst(new BurstLoss(20_000_000, 300_000, 5_000_000)));
                case ASYMMETRIC -> new PathProfile(cliName(), lan.withExtra(4_000), lan);
            };
        }

        /** The profile of a command-line name ({@code lan}, {@code wifi-busy}, …). */
        public static Named parse(String name) {
            for (Named n : values()) {
                if (n.cliName().equals(name)) {
                    return n;
                }
            }
            throw new IllegalArgumentException("unknown network profile '" + name + "' (one of "
                    + Arrays.stream(values()).map(Named::cliName).collect(Collectors.joining(", ")) + ")");
        }
    }
}
