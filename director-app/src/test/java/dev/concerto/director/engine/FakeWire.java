package dev.concerto.director.engine;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.LegacyCodec;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import dev.concerto.protocol.ToneCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A player at the far end of an in-memory {@link DatagramSink}: records every datagram written to
 * it (with the fake clock's time), decoded as the timed protocol or the plain integer, and can
 * answer sync requests as a player whose clock is offset and drifting, over a path with different
 * delays each way. Replies wait in {@link #takeReplies()} for the test to hand to the director.
 * Single-threaded, like the scheduler that writes to it.
 */
public final class FakeWire implements DatagramSink {

    /** One datagram as it arrived: the director's clock when written, the bytes as text, and what it decoded to. */
    public record Received(long nanos, String raw, TimedMessage timed, Integer plainHz) {
    }

    /** A reply on its way back: bytes, and when it reaches the director (director clock, ns). */
    public record Reply(byte[] datagram, long arrivalNanos) {
    }

    /** A player clock: offset and drift against the director's clock, µs. */
    public record PlayerClock(long offsetMicros, double driftPpm, long refMicros) {
        public long at(long directorMicros) {
            return directorMicros + offsetMicros + Math.round((directorMicros - refMicros) * driftPpm * 1e-6);
        }
    }

    private final Clock clock;
    private final Authenticator auth;
    private final List<Received> received = new ArrayList<>();
    private final List<Reply> replies = new ArrayList<>();
    private PlayerClock player;
    private long upMicros;
    private long downMicros;
    private boolean answering;
    private java.util.function.LongUnaryOperator queueing = i -> 0;
    private long requestsSeen;

    public FakeWire(Clock clock, Authenticator auth) {
        this.clock = clock;
        this.auth = auth;
    }

    /** Answers sync requests as {@code player}, {@code up} µs to it and {@code down} µs back. */
    public FakeWire answering(PlayerClock player, long upMicros, long downMicros) {
        this.player = player;
        this.upMicros = upMicros;
        this.downMicros = downMicros;
        this.answering = true;
        return this;
    }

    /** Extra queueing delay (µs) on the way to the player for the n-th request (0-based). */
    public FakeWire queueing(java.util.function.LongUnaryOperator delayOfRequest) {
        this.queueing = delayOfRequest;
        return this;
    }

    @Override
    public boolean send(byte[] datagram, int length) {
        byte[] bytes = Arrays.copyOf(datagram, length);
        String raw = new String(bytes, StandardCharsets.US_ASCII);
        if (TimedCodec.isTimed(bytes[0])) {
            DecodeResult<TimedMessage> r = TimedCodec.decode(bytes, auth);
            TimedMessage m = r instanceof DecodeResult.Accepted<TimedMessage> a ? a.value() : null;
            received.add(new Received(clock.nanoTime(), raw, m, null));
            if (answering && m instanceof TimedMessage.SyncRequest s) {
                long arrive = s.t1Micros() + upMicros + queueing.applyAsLong(requestsSeen++);
                long t2 = player.at(arrive);
                long t3 = t2 + 40; // the player's own handling, 40 µs of its clock
                byte[] reply = TimedCodec.encode(new TimedMessage.SyncReply(s.seq(), s.t1Micros(), t2, t3,
                        List.of(TimedCodec.VERSION_LEGACY, TimedCodec.VERSION_TIMED_1)), auth);
                replies.add(new Reply(reply, (arrive + 40 + downMicros) * 1000));
            }
        } else {
            DecodeResult<ToneCommand> r = LegacyCodec.decode(bytes, 0, length);
            received.add(new Received(clock.nanoTime(), raw, null,
                    r instanceof DecodeResult.Accepted<ToneCommand> a ? a.value().hz() : -1));
        }
        return true;
    }

    /** The replies written so far (and forgets them). */
    public List<Reply> takeReplies() {
        List<Reply> r = List.copyOf(replies);
        replies.clear();
        return r;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<TimedMessage.Tone> tones() {
        return received.stream().filter(r -> r.timed() instanceof TimedMessage.Tone)
                .map(r -> (TimedMessage.Tone) r.timed()).toList();
    }

    /** Tone messages with the director's clock when each was written. */
    public List<Received> toneDatagrams() {
        return received.stream().filter(r -> r.timed() instanceof TimedMessage.Tone).toList();
    }

    public List<TimedMessage.SyncRequest> syncRequests() {
        return received.stream().filter(r -> r.timed() instanceof TimedMessage.SyncRequest)
                .map(r -> (TimedMessage.SyncRequest) r.timed()).toList();
    }

    public List<Integer> plain() {
        return received.stream().filter(r -> r.plainHz() != null).map(Received::plainHz).toList();
    }
}
