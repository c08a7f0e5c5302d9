package dev.concerto.director.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** A fake sender for unit tests of the scheduler's logic: records (clock time, hz) of every send. */
class RecordingSender implements Sender {

    record Sent(long nanos, int hz) {
    }

    private final RosterEntry entry;
    private final VirtualTime time;
    private final List<Sent> sent = new ArrayList<>();
    private volatile IntConsumer hook = n -> { };
    volatile boolean closed;

    RecordingSender(String name, String voice, VirtualTime time) {
        this.entry = new RosterEntry(name, "127.0.0.1", 9, Protocol.LEGACY, voice);
        this.time = time;
    }

    /** Runs on the scheduler thread after each send, with the number of sends so far. */
    RecordingSender onSend(IntConsumer hook) {
        this.hook = hook;
        return this;
    }

    @Override
    public RosterEntry entry() {
        return entry;
    }

    @Override
    public String destination() {
        return "127.0.0.1:9";
    }

    @Override
    public boolean send(int hz) {
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

    @Override
    public long unreachableCount() {
        return 0;
    }

    @Override
    public long droppedCount() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }
}
