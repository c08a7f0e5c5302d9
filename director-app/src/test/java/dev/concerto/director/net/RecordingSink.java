package dev.concerto.director.net;

import dev.concerto.director.engine.DatagramSink;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.VirtualTime;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.LegacyCodec;
import dev.concerto.protocol.ToneCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A fake plain-integer player for unit tests of the scheduler's logic: a {@link DatagramSink} that
 * records (clock time, hz) of every datagram written to it.
 */
class RecordingSink implements DatagramSink {

    record Sent(long nanos, int hz) {
    }

    private static final java.util.concurrent.atomic.AtomicInteger PORTS = new java.util.concurrent.atomic.AtomicInteger();
    private final RosterEntry entry;
    private final VirtualTime time;
    private final List<Sent> sent = new ArrayList<>();
    private volatile IntConsumer hook = n -> { };

    RecordingSink(String name, String voice, VirtualTime time) {
        // A port of its own: a roster may not name one address twice (nothing is sent there: in memory).
        this.entry = new RosterEntry(name, "127.0.0.1", 20_000 + PORTS.incrementAndGet() % 40_000, Protocol.LEGACY, voice);
        this.time = time;
    }

    RosterEntry entry() {
        return entry;
    }

    /** Runs on the scheduler thread after each datagram, with the number of datagrams so far. */
    RecordingSink onSend(IntConsumer hook) {
        this.hook = hook;
        return this;
    }

    @Override
    public boolean send(byte[] datagram, int length) {
        DecodeResult<ToneCommand> r = LegacyCodec.decode(datagram, 0, length);
        int hz = r instanceof DecodeResult.Accepted<ToneCommand> a ? a.value().hz() : -1;
        int n;
        synchronized (this) {
            sent.add(new Sent(time.nanoTime(), hz));
            n = sent.size();
        }
        hook.accept(n);
        return true;
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    synchronized List<Integer> hz() {
        return sent.stream().map(Sent::hz).toList();
    }

    /** The sequence with repeated silences collapsed to one (a stop sends 0 three times). */
    synchronized List<Integer> hzCollapsed() {
        List<Integer> out = new ArrayList<>();
        for (Sent s : sent) {
            if (!(s.hz() == 0 && !out.isEmpty() && out.get(out.size() - 1) == 0)) {
                out.add(s.hz());
            }
        }
        return out;
    }
}
