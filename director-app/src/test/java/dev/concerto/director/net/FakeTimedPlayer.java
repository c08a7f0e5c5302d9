package dev.concerto.director.net;

import dev.concerto.director.engine.*;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.LegacyCodec;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import dev.concerto.protocol.ToneCommand;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A loopback player for tests that speaks PROTOCOL.md's timed protocol as far as a director can
 * see: it answers {@code S} with {@code R} stamped with its own clock (the system's monotonic clock
 * plus a fixed offset), and records every datagram it receives with its own receive time. It
 * sounds nothing. {@code answering = false} makes it a plain-integer receiver that never answers
 * (an ESP8266). Closing the socket stops its thread.
 */
final class FakeTimedPlayer implements AutoCloseable {

    /** One datagram received: raw bytes as text, its decoding, and the player's clock on receipt. */
    record Received(String raw, TimedMessage timed, Integer plainHz, String rejected, long atPlayerMicros) {
    }

    private final DatagramSocket socket;
    private final long offsetMicros;
    private final boolean answering;
    private final Authenticator auth;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread thread;

    FakeTimedPlayer(long offsetMicros, boolean answering, Authenticator auth) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.offsetMicros = offsetMicros;
        this.answering = answering;
        this.auth = auth;
        this.thread = new Thread(this::loop, "fake-timed-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** This player's clock, µs. */
    long nowMicros() {
        return System.nanoTime() / 1000 + offsetMicros;
    }

    private void loop() {
        byte[] buf = new byte[256];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                socket.receive(p);
                long t2 = nowMicros();
                String raw = new String(buf, 0, p.getLength(), java.nio.charset.StandardCharsets.US_ASCII);
                if (p.getLength() > 0 && TimedCodec.isTimed(buf[0])) {
                    DecodeResult<TimedMessage> r = TimedCodec.decode(buf, 0, p.getLength(), auth);
                    if (r instanceof DecodeResult.Accepted<TimedMessage> a) {
                        received.add(new Received(raw, a.value(), null, null, t2));
                        if (answering && a.value() instanceof TimedMessage.SyncRequest s) {
                            byte[] reply = TimedCodec.encode(new TimedMessage.SyncReply(s.seq(), s.t1Micros(), t2, nowMicros(),
                                    List.of(TimedCodec.VERSION_LEGACY, TimedCodec.VERSION_TIMED_1)), auth);
                            socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                        }
                    } else if (r instanceof DecodeResult.Rejected<TimedMessage> rej) {
                        received.add(new Received(raw, null, null, rej.reason().key(), t2));
                    }
                } else {
                    DecodeResult<ToneCommand> r = LegacyCodec.decode(buf, 0, p.getLength());
                    received.add(new Received(raw, null, r instanceof DecodeResult.Accepted<ToneCommand> a ? a.value().hz() : null,
                            r instanceof DecodeResult.Rejected<ToneCommand> rej ? rej.reason().key() : null, t2));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                received.add(new Received("", null, null, e.toString(), nowMicros()));
            }
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    RosterEntry entry(String name, Protocol protocol, String voice) {
        return new RosterEntry(name, "127.0.0.1", port(), protocol, voice);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<TimedMessage.Tone> tones() {
        return received.stream().filter(r -> r.timed() instanceof TimedMessage.Tone).map(r -> (TimedMessage.Tone) r.timed()).toList();
    }

    List<Received> toneReceipts() {
        return received.stream().filter(r -> r.timed() instanceof TimedMessage.Tone).toList();
    }

    List<Integer> plain() {
        return received.stream().filter(r -> r.plainHz() != null).map(Received::plainHz).toList();
    }

    boolean await(Predicate<FakeTimedPlayer> condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.test(this)) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.test(this);
    }

    @Override
    public void close() {
        socket.close();
    }
}
