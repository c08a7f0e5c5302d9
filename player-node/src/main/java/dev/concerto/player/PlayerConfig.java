package dev.concerto.player;

import dev.concerto.player.core.PlayerLimits;
import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.Wire;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a {@link PlayerNode} needs. Immutable; build with {@link #of(ToneGenerator)} and the
 * {@code with...} methods.
 *
 * @param bind            the UDP address to bind; port 0 = an ephemeral port (see
 *                        {@link PlayerNode#localAddress()})
 * @param name            the player's name, for logs and the start line
 * @param generator       what sounds the tones (the node does not close it)
 * @param allow           the sources accepted (others are dropped as {@code not-allowed})
 * @param watchdogSeconds silence a sounding tone when no valid datagram arrived for this long;
 *                        0 = off
 * @param events          the events file, or {@code null} (the node does not close it)
 * @param clock           the clock of the watchdog, the rate limiter, event timestamps and the timed
 *                        protocol (the player's clock is its {@code nanoTime() / 1000} µs); it must
 *                        be the generator's clock too, so scheduled times map onto audio frames
 * @param auth            the shared key of the timed protocol, or {@code null}: with a key, unsigned
 *                        timed messages are dropped as {@code unauthenticated}, wrong MACs as
 *                        {@code forged}, plain integers as {@code unauthenticated}, and sync
 *                        replies are signed
 * @param limits          the timed protocol's guards (longest lease, furthest start ahead, freshness)
 */
public record PlayerConfig(InetSocketAddress bind, String name, ToneGenerator generator, AllowList allow,
        double watchdogSeconds, EventLog events, Clock clock, Authenticator auth, PlayerLimits limits) {

    /** The watchdog's default: longer than any held note, short enough to end a stuck tone. */
    public static final double DEFAULT_WATCHDOG_SECONDS = 30;

    public PlayerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(allow, "allow");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(limits, "limits");
        if (!(watchdogSeconds >= 0) || Double.isInfinite(watchdogSeconds)) {
            throw new IllegalArgumentException("watchdog must be >= 0 seconds, got " + watchdogSeconds);
        }
    }

    /**
     * Defaults: bind {@code 0.0.0.0:}{@value Wire#DEFAULT_PORT} as the ancestor, name "player",
     * everyone allowed, watchdog {@value #DEFAULT_WATCHDOG_SECONDS} s, no events, system clock.
     */
    public static PlayerConfig of(ToneGenerator generator) {
        return new PlayerConfig(new InetSocketAddress("0.0.0.0", Wire.DEFAULT_PORT), "player", generator,
                AllowList.anyone(), DEFAULT_WATCHDOG_SECONDS, null, Clock.SYSTEM, null, PlayerLimits.DEFAULTS);
    }

    public PlayerConfig withBind(InetSocketAddress a) {
        return new PlayerConfig(a, name, generator, allow, watchdogSeconds, events, clock, auth, limits);
    }

    /** Binds 127.0.0.1 on an ephemeral port: for tests and players embedded in the director. */
    public PlayerConfig withLoopbackEphemeral() {
        return withBind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
    }

    public PlayerConfig withName(String n) {
        return new PlayerConfig(bind, n, generator, allow, watchdogSeconds, events, clock, auth, limits);
    }

    public PlayerConfig withAllow(AllowList a) {
        return new PlayerConfig(bind, name, generator, a, watchdogSeconds, events, clock, auth, limits);
    }

    public PlayerConfig withWatchdogSeconds(double s) {
        return new PlayerConfig(bind, name, generator, allow, s, events, clock, auth, limits);
    }

    public PlayerConfig withEvents(EventLog e) {
        return new PlayerConfig(bind, name, generator, allow, watchdogSeconds, e, clock, auth, limits);
    }

    /** With a shared key ({@code null}: none). */
    public PlayerConfig withAuth(Authenticator a) {
        return new PlayerConfig(bind, name, generator, allow, watchdogSeconds, events, clock, a, limits);
    }

    /** With other guards for the timed protocol. */
    public PlayerConfig withLimits(PlayerLimits l) {
        return new PlayerConfig(bind, name, generator, allow, watchdogSeconds, events, clock, auth, l);
    }

    public PlayerConfig withClock(Clock c) {
        return new PlayerConfig(bind, name, generator, allow, watchdogSeconds, events, c, auth, limits);
    }
}
