package dev.concerto.player.core;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PlayerCore} in memory, Netty-EmbeddedChannel style: datagrams go in at a time the test
 * sets, effects are recorded, and a model of the generator says what sounds when. One audio frame
 * per microsecond of the player's clock, so frames read as times. No sockets, threads or sleeps.
 */
final class CoreHarness implements PlayerEffects {

    static final Peer DIRECTOR = peer(new byte[] {127, 0, 0, 1}, 5000);
    static final Peer RESTARTED = peer(new byte[] {127, 0, 0, 1}, 5001);
    static final Peer STRANGER = peer(new byte[] {127, 0, 0, 2}, 6000);
    static final byte[] KEY = "concerto-core-test-key-0123".getBytes(StandardCharsets.US_ASCII);

    /** A change as the model generator saw it: when it was handed over, and when it was withdrawn. */
    static final class Handed {
        final ToneChange change;
        final long handedMicros;
        long withdrawnMicros = Long.MAX_VALUE;

        Handed(ToneChange change, long handedMicros) {
            this.change = change;
            this.handedMicros = handedMicros;
        }

        /** When it takes effect: its frame, or at once (or at once if its frame has passed). */
        long effective() {
            return change.frame() == ToneChange.AT_ONCE ? handedMicros : Math.max(change.frame(), handedMicros);
        }

        boolean applies() {
            return withdrawnMicros >= effective();
        }
    }

    final List<Handed> handed = new ArrayList<>();
    final List<byte[]> replies = new ArrayList<>();
    final List<PlayerEvent> events = new ArrayList<>();
    final PlayerCore core;
    long now;

    private final Clock clock = new Clock() {
        @Override
        public long nanoTime() {
            return now * 1000;
        }

        @Override
        public long epochMicros() {
            return 1_700_000_000_000_000L + now;
        }
    };

    CoreHarness(PlayerCore.Settings settings, long startMicros) {
        this.now = startMicros;
        this.core = new PlayerCore(settings, clock, micros -> micros);
    }

    static PlayerCore.Settings settings() {
        return new PlayerCore.Settings("test", SourceFilter.ANYONE, null, 0, PlayerLimits.DEFAULTS, 23_999, true);
    }

    static PlayerCore.Settings keyed() {
        return new PlayerCore.Settings("test", SourceFilter.ANYONE, new Authenticator(KEY, 0xfeed), 0,
                PlayerLimits.DEFAULTS, 23_999, true);
    }

    static Peer peer(byte[] address, int port) {
        return new Peer(address, port, (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff)
                + "." + (address[3] & 0xff) + ":" + port);
    }

    CoreHarness at(long micros) {
        if (micros < now) {
            throw new IllegalArgumentException("time runs forward");
        }
        now = micros;
        return this;
    }

    /** Lets time pass to {@code micros} with no datagram (the shell's poll). */
    CoreHarness tick(long micros) {
        at(micros);
        core.tick(now, this);
        return this;
    }

    CoreHarness send(String datagram) {
        return send(datagram.getBytes(StandardCharsets.US_ASCII), DIRECTOR);
    }

    CoreHarness send(String datagram, Peer from) {
        return send(datagram.getBytes(StandardCharsets.US_ASCII), from);
    }

    CoreHarness send(byte[] datagram, Peer from) {
        core.receive(datagram, 0, datagram.length, from, now, this);
        return this;
    }

    static byte[] signed(Authenticator signer, long seq, long at, long milliHz, int lease) {
        return TimedCodec.encode(new TimedMessage.Tone(seq, at, milliHz, lease), signer);
    }

    /** The frequency sounding at {@code micros} by what was handed over and not withdrawn in time. */
    double hzAt(long micros) {
        Handed best = null;
        for (Handed h : handed) {
            if (h.applies() && h.effective() <= micros && (best == null || h.effective() >= best.effective())) {
                best = h; // later in the list wins a tie: same frame, call order
            }
        }
        return best == null ? 0 : best.change.hz();
    }

    /** The last time anything but silence sounds (Long.MAX_VALUE: sounding for ever). */
    long lastSound() {
        List<Handed> applied = handed.stream().filter(Handed::applies)
                .sorted(java.util.Comparator.comparingLong(Handed::effective)).toList();
        long end = 0;
        for (int i = 0; i < applied.size(); i++) {
            Handed h = applied.get(i);
            if (h.change.hz() > 0) {
                end = i + 1 < applied.size() ? Math.max(end, applied.get(i + 1).effective()) : Long.MAX_VALUE;
            }
        }
        return end;
    }

    /** What is still to come, as "hz@micros" in order. */
    List<String> plan() {
        return handed.stream().filter(h -> h.withdrawnMicros == Long.MAX_VALUE && h.change.frame() != ToneChange.AT_ONCE)
                .filter(h -> h.effective() >= now)
                .sorted(java.util.Comparator.comparingLong(Handed::effective))
                .map(h -> fmt(h.change.hz()) + "@" + h.change.frame()).toList();
    }

    long dropped(dev.concerto.protocol.RejectReason r) {
        return core.counters().dropped(r);
    }

    private static String fmt(double hz) {
        return hz == Math.rint(hz) ? Long.toString((long) hz) : Double.toString(hz);
    }

    @Override
    public void sound(ToneChange change) {
        handed.add(new Handed(change, now));
    }

    @Override
    public void withdraw(ToneChange change) {
        for (Handed h : handed) {
            if (h.change == change && h.withdrawnMicros == Long.MAX_VALUE) {
                h.withdrawnMicros = now;
            }
        }
    }

    @Override
    public void reply(byte[] datagram) {
        replies.add(datagram);
    }

    @Override
    public void event(PlayerEvent event) {
        events.add(event);
    }
}
