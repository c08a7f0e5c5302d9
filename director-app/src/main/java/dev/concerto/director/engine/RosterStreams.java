package dev.concerto.director.engine;

import dev.concerto.director.score.Timeline;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockSync;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roster's {@link PlayerStream}s as the {@link Scheduler} drives them: which players play each
 * voice, a change handed to every player of a voice (timed, metered, observed), silence rounds to
 * everyone, each stream's next precise and rough deadline in two {@link DeadlineHeap}s, the lead
 * over all streams (the longest any wants, kept up to date in O(1) per reply), the
 * {@link SendBudget} (redundant copies only while the scheduler can afford them: the CPU time of
 * each burst of hand-overs goes into it), and what each player sounds for the
 * snapshots. Allocates nothing per send. Not thread-safe (the scheduler
 * thread's).
 */
final class RosterStreams {

    private static final Logger LOG = LoggerFactory.getLogger(RosterStreams.class);

    private final PlayerStream[] streams;
    private final int[][] playersOfVoice;
    private final Clock clock;
    private final ScheduleMeter meter;
    private final SendObserver observer;
    private final DeadlineHeap precise;
    private final DeadlineHeap rough;
    private final SendBudget budget = new SendBudget();
    private final double[] playerHz;
    private final String[] playerNote;
    private long leadNanos;
    /** The stream whose lead is {@link #leadNanos} (-1: none wants one). */
    private int leadHolder = -1;
    private long sends;

    RosterStreams(Timeline timeline, List<PlayerStream> streams, Clock clock, ScheduleMeter meter,
                  SendObserver observer, Set<String> optionalVoices) {
        this.streams = streams.toArray(PlayerStream[]::new);
        this.clock = clock;
        this.meter = meter;
        this.observer = observer;
        this.playerHz = new double[this.streams.length];
        this.playerNote = new String[this.streams.length];
        Arrays.fill(playerNote, "");
        this.playersOfVoice = new int[timeline.voices().size()][];
        for (int v = 0; v < timeline.voices().size(); v++) {
            String voice = timeline.voices().get(v).name();
            List<Integer> players = new ArrayList<>();
            for (int p = 0; p < this.streams.length; p++) {
                if (this.streams[p].entry().voice().equals(voice)) {
                    players.add(p);
                }
            }
            playersOfVoice[v] = players.stream().mapToInt(Integer::intValue).toArray();
            if (players.isEmpty() && !timeline.voices().get(v).optional() && !optionalVoices.contains(voice)) {
                LOG.warn("voice '{}' of '{}' has no player in the roster: it will not be heard", voice, timeline.title());
            }
        }
        for (PlayerStream s : this.streams) {
            if (timeline.voice(s.entry().voice()) == null) {
                LOG.warn("player '{}' plays voice '{}', which '{}' does not have: it only receives silences",
                        s.entry().name(), s.entry().voice(), timeline.title());
            }
        }
        this.precise = new DeadlineHeap(this.streams.length);
        this.rough = new DeadlineHeap(this.streams.length);
        for (int p = 0; p < this.streams.length; p++) {
            refresh(p);
        }
        recomputeLead();
    }

    int size() {
        return streams.length;
    }

    PlayerStream stream(int p) {
        return streams[p];
    }

    List<PlayerStream> all() {
        return List.of(streams);
    }

    /** How far ahead of its due time each change is handed over: the longest lead any stream wants, ns. */
    long leadNanos() {
        return leadNanos;
    }

    /** Datagram-carrying calls made (changes and silences), for the transport's count. */
    long sends() {
        return sends;
    }

    void resetSends() {
        sends = 0;
    }

    /** See {@link Scheduler#settle()}. */
    List<PlayerStream> settle() {
        List<PlayerStream> silent = new ArrayList<>();
        for (int p = 0; p < streams.length; p++) {
            if (!streams[p].settleAfterProbe()) {
                silent.add(streams[p]);
            }
            refresh(p);
        }
        recomputeLead();
        return silent;
    }

    boolean answeredAtLeast(long wanted) {
        for (PlayerStream s : streams) {
            if (s.clockSync() != null && s.clockSync().replyCount() < wanted) {
                return false;
            }
        }
        return true;
    }

    boolean askedAtLeast(long wanted) {
        for (PlayerStream s : streams) {
            if (s.clockSync() != null && s.clockSync().requestCount() < wanted) {
                return false;
            }
        }
        return true;
    }

    /**
     * A reply from player {@code p}. Its lead may have moved (DeliveryPolicy): a longer one raises
     * the roster's at once; only a shrinking lead of the stream that set it needs a full look.
     */
    void onDatagram(int p, byte[] datagram, int length, long arrivalNanos) {
        if (streams[p].onDatagram(datagram, length, arrivalNanos) && observer != null) {
            observer.onSyncExchange(p, streams[p].clockSync().lastExchange());
        }
        refresh(p);
        long lead = streams[p].leadNanos();
        if (lead > leadNanos) {
            leadNanos = lead;
            leadHolder = p;
        } else if (p == leadHolder && lead < leadNanos) {
            recomputeLead();
        }
    }

    private void recomputeLead() {
        long lead = 0;
        int holder = -1;
        for (int p = 0; p < streams.length; p++) {
            long l = streams[p].leadNanos();
            if (l > lead) {
                lead = l;
                holder = p;
            }
        }
        leadNanos = lead;
        leadHolder = holder;
    }

    /**
     * Hands a change to one player (a live note): {@code hz} from {@code dueNanos} to {@code endNanos}.
     */
    void changeOne(int p, double hz, long dueNanos, long endNanos, long now) {
        long cpu = clock.threadCpuNanos();
        streams[p].change(hz, dueNanos, endNanos, now, budget.affordsCopies(now));
        chargeHandOver(cpu);
        if (observer != null) {
            observer.onSend(p, hz, dueNanos, now, clock.nanoTime()); // the events file has live notes as play's
        }
        sends++;
        playerHz[p] = hz;
        playerNote[p] = "";
        refresh(p);
    }

    /**
     * Hands a voice's change to each of its players.
     *
     * @param deadline when it is due, or {@code Long.MIN_VALUE} for a note sounded again (due at {@code due})
     * @param due      when it sounds
     * @param end      when the voice's next change is due ({@link Long#MAX_VALUE}: not known)
     * @param sendAt   when it was to be handed over (deadline minus the lead), for the meter
     */
    void changeVoice(int voice, double hz, String name, long deadline, long due, long end, long sendAt) {
        boolean scheduled = deadline != Long.MIN_VALUE;
        // Copies or not, decided once per burst from the CPU time earlier bursts took (SendBudget).
        boolean copies = budget.affordsCopies(clock.nanoTime());
        long cpu = clock.threadCpuNanos();
        for (int p : playersOfVoice[voice]) {
            long call = clock.nanoTime();
            streams[p].change(hz, due, end, call, copies);
            long sent = clock.nanoTime();
            sends++;
            playerHz[p] = hz;
            playerNote[p] = name;
            if (scheduled) {
                meter.record(sent - sendAt, call - sendAt);
            }
            if (observer != null) {
                long when = scheduled ? deadline : leadNanos > 0 ? due : sent;
                observer.onSend(p, hz, when, scheduled ? sendAt : when - leadNanos, sent);
            }
            refresh(p);
        }
        chargeHandOver(cpu);
    }

    /**
     * Charges the scheduler thread's CPU time since {@code cpuBefore} (a burst of hand-overs) to the
     * {@link SendBudget}, which decides the next bursts' copies, and to the send-loop meter.
     */
    private void chargeHandOver(long cpuBefore) {
        long spent = clock.threadCpuNanos() - cpuBefore;
        budget.spent(clock.nanoTime(), spent);
        meter.addSendCpu(spent);
    }

    /** Sends 0 to every player of the roster; one failing stream does not stop the rest. */
    void silenceRound() {
        long cpu = clock.threadCpuNanos();
        for (int p = 0; p < streams.length; p++) {
            try {
                streams[p].silenceNow(clock.nanoTime());
                long sent = clock.nanoTime();
                sends++;
                if (observer != null) {
                    observer.onSend(p, 0, sent, sent, sent);
                }
            } catch (RuntimeException e) {
                LOG.error("could not silence player '{}'", streams[p].entry().name(), e);
            }
            playerHz[p] = 0;
            playerNote[p] = "";
            refresh(p);
        }
        meter.addSendCpu(clock.threadCpuNanos() - cpu);
    }

    /** When the next plain-integer change is due, or {@link Long#MAX_VALUE}. */
    long nextPreciseNanos() {
        return precise.minKey();
    }

    /** When the next sync request or lease renewal is due, or {@link Long#MAX_VALUE}. */
    long nextRoughNanos() {
        return rough.minKey();
    }

    /** Sends the plain-integer changes due at {@code now} and the rough work due by {@code roughHorizon}. */
    void pollDue(long now, long roughHorizon) {
        for (int guard = streams.length; guard > 0 && precise.minKey() <= now; guard--) {
            int p = precise.minId();
            streams[p].pollPrecise(clock.nanoTime());
            refresh(p);
        }
        if (rough.minKey() <= roughHorizon) {
            long cpu = clock.threadCpuNanos();
            for (int guard = 2 * streams.length; guard > 0 && rough.minKey() <= roughHorizon; guard--) {
                int p = rough.minId();
                // Read the clock again: a sync request's t1 must be when it leaves, not when this round began.
                streams[p].pollHousekeeping(clock.nanoTime(), roughHorizon);
                refresh(p);
            }
            meter.addSendCpu(clock.threadCpuNanos() - cpu);
        }
    }

    /** What each player sounds and how its clock and path look, as of {@code now}, in roster order. */
    List<PlayerActivity> activities(long now) {
        List<PlayerActivity> players = new ArrayList<>(streams.length);
        for (int p = 0; p < streams.length; p++) {
            PlayerStream s = streams[p];
            ClockSync.Estimate e = s.clockEstimate();
            players.add(new PlayerActivity(s.entry().name(), s.entry().voice(), playerHz[p], playerNote[p],
                    s.liveness(now), e == null ? -1 : e.rttMicros(), e == null ? 0 : Math.round(e.offsetMicros()),
                    s.pathStatus()));
        }
        return players;
    }

    private void refresh(int p) {
        precise.set(p, streams[p].nextPreciseNanos());
        rough.set(p, streams[p].nextHousekeepingNanos());
    }
}
