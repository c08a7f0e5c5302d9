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
 * The director's one scheduler, as a pure state machine: it plays one {@link Timeline} to the
 * {@link PlayerStream}s of a roster and emits every outgoing datagram at its send time — notes
 * and note ends (one lead before they are due when the roster has timed players), plain-integer
 * changes at their due time, lease renewals, clock-sync requests and the repeated silences. It
 * owns no thread, socket or clock of its own: a shell asks it when it next has work
 * ({@link #nextPreciseNanos()}, {@link #nextRoughNanos()}), waits, and calls {@link #runDue(long)};
 * transport commands ({@link #play(long)} ...) and replies ({@link #onDatagram}) come in between.
 *
 * <h2>Timing</h2>
 * Every change has an absolute deadline from one monotonic anchor (the clock reading at which a
 * given score position is due), never "send, then sleep", so lateness does not accumulate. A
 * tempo change, pause or seek moves the anchor, keeping the musical position. Plan deadlines and
 * plain-integer changes are <em>precise</em> (the shell parks then spins); sync requests and lease
 * renewals tolerate {@value #ROUGH_SLACK_NANOS} ns and are sent in rounds with whatever else is
 * due by then, so a thousand players do not wake the scheduler a thousand times.
 *
 * <h2>Silence</h2>
 * Stop, pause, the end, an error and shutdown send {@link Silence#REPEATS} silences to every
 * player, {@link Silence#SPACING_NANOS} apart, as scheduled rounds (never a blocking wait);
 * while they last, commands wait ({@link #silencing()}) and a seek while playing resumes after them.
 *
 * <p>Not thread-safe: one thread (the shell's scheduler thread) calls everything. Per send it
 * allocates nothing.
 */
public final class Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    /** Default delay from a play, resume or seek to the first datagram it schedules, ns. */
    public static final long DEFAULT_START_LEAD_NANOS = 20_000_000;
    /** A wrap or catch-up due longer ago than this re-anchors at "now" instead of bursting, ns. */
    static final long MAX_CATCH_UP_NANOS = 5_000_000;
    /** How early a sync request or lease renewal may go out, to share a round with others, ns. */
    public static final long ROUGH_SLACK_NANOS = 2_000_000;

    private final Timeline timeline;
    private final SendPlan plan;
    private final PlayerStream[] streams;
    private final int[][] playersOfVoice;
    private final Clock clock;
    private final ScheduleMeter meter;
    private final SendObserver observer;
    private final long startLeadNanos;
    private final DeadlineHeap precise;
    private final DeadlineHeap rough;
    private long leadNanos;

    private PlayState playState = PlayState.STOPPED;
    private double tempoBpm;
    private double positionSeconds;
    private long anchorNanos;
    private double anchorSeconds;
    private int next;
    private int loopFrom;
    private int loopTo;
    private long notesSent;
    private final double[] voiceHz;
    private final double[] playerHz;
    private final String[] playerNote;
    private int silenceRoundsLeft;
    private long nextSilenceNanos;
    private boolean resumeAfterSilence;
    private boolean publishWanted = true;

    /**
     * @param streams        one per roster player, in roster order
     * @param observer       told of every datagram sent (may be null)
     * @param optionalVoices voices that may go without a player without a warning
     */
    public Scheduler(Timeline timeline, List<PlayerStream> streams, Clock clock, ScheduleMeter meter,
                     SendObserver observer, long startLeadNanos, double tempoBpm, Set<String> optionalVoices) {
        this.timeline = timeline;
        this.plan = new SendPlan(timeline);
        this.streams = streams.toArray(PlayerStream[]::new);
        this.clock = clock;
        this.meter = meter;
        this.observer = observer;
        this.startLeadNanos = startLeadNanos;
        this.tempoBpm = tempoBpm > 0 ? tempoBpm : timeline.bpm();
        this.voiceHz = new double[timeline.voices().size()];
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
        this.leadNanos = lead();
    }

    private long lead() {
        long lead = 0;
        for (PlayerStream s : streams) {
            lead = Math.max(lead, s.leadNanos());
        }
        return lead;
    }

    // ---------------------------------------------------------------- probing

    /**
     * Decides each timed or auto player's protocol after the first sync burst had its time
     * ({@link PlayerStream#settleAfterProbe()}) and fixes the lead: the longest any stream wants.
     *
     * @return the {@code timed} players that never answered (they cannot be played to)
     */
    public List<PlayerStream> settle() {
        List<PlayerStream> silent = new ArrayList<>();
        for (int p = 0; p < streams.length; p++) {
            if (!streams[p].settleAfterProbe()) {
                silent.add(streams[p]);
            }
            refresh(p);
        }
        leadNanos = lead();
        return silent;
    }

    /** Whether every player that syncs has answered at least {@code wanted} requests. */
    public boolean answeredAtLeast(long wanted) {
        for (PlayerStream s : streams) {
            if (s.clockSync() != null && s.clockSync().replyCount() < wanted) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- commands

    public void play(long now) {
        if (playState == PlayState.PLAYING) {
            return;
        }
        if (playState == PlayState.STOPPED) {
            notesSent = 0;
        }
        start(now);
    }

    public void resume(long now) {
        if (playState == PlayState.PAUSED) {
            start(now);
        }
    }

    private void start(long now) {
        playState = PlayState.PLAYING;
        anchor(now + startLeadNanos + leadNanos, positionSeconds);
        articulate(positionSeconds, now);
        publishWanted = true;
    }

    public void pause(long now) {
        if (playState == PlayState.PLAYING) {
            positionSeconds = positionAt(now);
            playState = PlayState.PAUSED; // next stays: the events before it were sent
            resumeAfterSilence = false;
            if (leadNanos > 0) {
                // Changes handed over ahead but not yet heard are silenced: resume sends them again.
                next = plan.firstAtOrAfter(positionSeconds);
            }
            startSilence(now);
        }
        publishWanted = true;
    }

    public void stop(long now) {
        playState = PlayState.STOPPED;
        resumeAfterSilence = false;
        startSilence(now);
        positionSeconds = loopFrom > 0 ? measureStart(loopFrom) : 0;
        next = plan.firstAtOrAfter(positionSeconds);
        publishWanted = true;
    }

    /** Moves to a 1-based measure (checked by the caller). */
    public void seek(int measure, long now) {
        positionSeconds = measureStart(measure);
        next = plan.firstAtOrAfter(positionSeconds);
        if (playState == PlayState.PLAYING) {
            if (leadNanos > 0) {
                startSilence(now); // what was handed over ahead belongs to the old position
                resumeAfterSilence = true;
            } else {
                anchor(now + startLeadNanos, positionSeconds);
                articulate(positionSeconds, now);
            }
        }
        publishWanted = true;
    }

    public void setLoop(int fromMeasure, int toMeasure) {
        loopFrom = fromMeasure;
        loopTo = toMeasure;
        publishWanted = true;
    }

    public void clearLoop() {
        loopFrom = 0;
        loopTo = 0;
        publishWanted = true;
    }

    public void setTempo(double bpm, long now) {
        if (playState == PlayState.PLAYING && !resumeAfterSilence) {
            // Changes up to one lead ahead were handed over at the old tempo: the new one starts after them.
            long at = now + leadNanos;
            positionSeconds = positionAt(at);
            tempoBpm = bpm;
            anchor(at, positionSeconds);
        } else {
            tempoBpm = bpm;
        }
        publishWanted = true;
    }

    /**
     * Stops after an error (or for good): the state is STOPPED and every player is silenced.
     * The position stays where it was, for the message.
     */
    public void halt(long now) {
        playState = PlayState.STOPPED;
        resumeAfterSilence = false;
        startSilence(now);
        publishWanted = true;
    }

    /**
     * A live note (a keyboard, OSC): player {@code player} sounds {@code hz} (exact; 0 for silence)
     * from {@code dueNanos} until told otherwise. A timed player gets it at once, stamped with its
     * due time, with an open-ended lease that its stream renews while the note is held; a
     * plain-integer player gets it at its due time. The caller hands it over one of the player's
     * {@link PlayerStream#leadNanos() leads} before it is due. Live notes and the score share the
     * players: whichever comes last sounds.
     */
    public void liveChange(int player, double hz, long dueNanos, long now) {
        streams[player].change(hz, dueNanos, Long.MAX_VALUE, now);
        if (observer != null) {
            observer.onSend(player, hz, dueNanos, clock.nanoTime()); // the events file has live notes as play's
        }
        notesSent++;
        playerHz[player] = hz;
        playerNote[player] = "";
        refresh(player);
        publishWanted = true;
    }

    /**
     * Silences every player at once ({@link Silence#REPEATS} rounds), as for a stop, without
     * changing the transport: live panic, all notes off, closing a live session. A score that is
     * playing goes on with its next changes (those due during the silence rounds come right after).
     */
    public void silenceAll(long now) {
        startSilence(now);
        publishWanted = true;
    }

    /** A datagram that arrived from player {@code player} (a clock-sync reply), with its arrival time. */
    public void onDatagram(int player, byte[] datagram, int length, long arrivalNanos) {
        streams[player].onDatagram(datagram, length, arrivalNanos);
        refresh(player);
        // Timed players' leads follow their paths (DeliveryPolicy): hand changes over the longest
        // lead any player wants now. A shrinking lead never moves the send horizon back (the policy
        // shrinks it gently), so nothing handed over is handed over again.
        leadNanos = lead();
    }

    // ---------------------------------------------------------------- the shell's loop

    /** Whether repeated silences are still going out (commands wait until they are done). */
    public boolean silencing() {
        return silenceRoundsLeft > 0;
    }

    /** When the next precise work is due (a change, a silence round), or {@link Long#MAX_VALUE}. */
    public long nextPreciseNanos() {
        long t = precise.minKey();
        if (silenceRoundsLeft > 0) {
            return Math.min(t, nextSilenceNanos);
        }
        if (resumeAfterSilence) {
            return Long.MIN_VALUE;
        }
        if (playState == PlayState.PLAYING) {
            t = Math.min(t, nextPlanNanos());
        }
        return t;
    }

    /** When the next rough work is due (a sync request, a lease renewal), or {@link Long#MAX_VALUE}. */
    public long nextRoughNanos() {
        return rough.minKey();
    }

    /** Does everything due at {@code now}: silence rounds, the plan, plain-integer changes, rough work. */
    public void runDue(long now) {
        if (silenceRoundsLeft > 0 && nextSilenceNanos <= now) {
            silenceRound(now);
        }
        if (silenceRoundsLeft == 0 && resumeAfterSilence) {
            resumeAfterSilence = false;
            anchor(now + startLeadNanos + leadNanos, positionSeconds);
            articulate(positionSeconds, now);
        }
        if (playState == PlayState.PLAYING && silenceRoundsLeft == 0) {
            stepPlan(now);
        }
        for (int guard = streams.length; guard > 0 && precise.minKey() <= now; guard--) {
            int p = precise.minId();
            streams[p].pollPrecise(clock.nanoTime());
            refresh(p);
        }
        long horizon = now + ROUGH_SLACK_NANOS;
        for (int guard = 2 * streams.length; guard > 0 && rough.minKey() <= horizon; guard--) {
            int p = rough.minId();
            // Read the clock again: a sync request's t1 must be when it leaves, not when this round began.
            streams[p].pollHousekeeping(clock.nanoTime(), horizon);
            refresh(p);
        }
    }

    /** Whether a fresh snapshot should be published (once per instant, and on every command); clears it. */
    public boolean takePublishRequest() {
        boolean w = publishWanted;
        publishWanted = false;
        return w;
    }

    // ---------------------------------------------------------------- state

    public PlayState playState() {
        return playState;
    }

    public double positionSeconds() {
        return positionSeconds;
    }

    /** How far ahead of its due time each change is handed to the streams, ns (0 without timed players). */
    public long leadNanos() {
        return leadNanos;
    }

    /** The streams, in roster order. */
    public List<PlayerStream> streams() {
        return List.of(streams);
    }

    /** The transport as of {@code now}. */
    public TransportState snapshot(long now) {
        List<PlayerActivity> players = new ArrayList<>(streams.length);
        for (int p = 0; p < streams.length; p++) {
            PlayerStream s = streams[p];
            ClockSync.Estimate e = s.clockEstimate();
            players.add(new PlayerActivity(s.entry().name(), s.entry().voice(), playerHz[p], playerNote[p],
                    s.liveness(now), e == null ? -1 : e.rttMicros(), e == null ? 0 : Math.round(e.offsetMicros()),
                    s.pathStatus()));
        }
        return new TransportState(playState, positionSeconds, timeline.measureAt(positionSeconds),
                timeline.measureCount(), tempoBpm, loopFrom, loopTo, notesSent, players);
    }

    // ---------------------------------------------------------------- the plan

    private long nextPlanNanos() {
        double loopEnd = loopFrom > 0 ? measureEnd(loopTo) : Double.POSITIVE_INFINITY;
        if (next < plan.size() && plan.event(next).scoreSeconds() < loopEnd) {
            return deadlineOf(plan.event(next).scoreSeconds()) - leadNanos;
        }
        if (loopFrom > 0) {
            return deadlineOf(loopEnd) - leadNanos;
        }
        // The end of the piece: once the last change handed over ahead is due.
        return leadNanos > 0 && plan.size() > 0 ? deadlineOf(plan.event(plan.size() - 1).scoreSeconds())
                : Long.MIN_VALUE;
    }

    private void stepPlan(long now) {
        while (playState == PlayState.PLAYING) {
            double loopEnd = loopFrom > 0 ? measureEnd(loopTo) : Double.POSITIVE_INFINITY;
            if (next < plan.size() && plan.event(next).scoreSeconds() < loopEnd) {
                SendPlan.Event e = plan.event(next);
                long deadline = deadlineOf(e.scoreSeconds());
                if (deadline - leadNanos > now) {
                    return;
                }
                next++;
                positionSeconds = e.scoreSeconds();
                sendToVoice(e.voice(), e.hz(), e.name(), deadline, e.endSeconds(), now);
                if (next >= plan.size() || plan.event(next).scoreSeconds() != e.scoreSeconds()) {
                    publishWanted = true; // once per instant, after all the datagrams due then
                }
            } else if (loopFrom > 0) {
                long deadline = deadlineOf(loopEnd);
                if (deadline - leadNanos > now) {
                    return;
                }
                double start = measureStart(loopFrom);
                anchor(now - (deadline - leadNanos) > MAX_CATCH_UP_NANOS ? now + leadNanos : deadline, start);
                positionSeconds = start;
                next = plan.firstAtOrAfter(start);
                articulate(start, now);
                publishWanted = true;
            } else {
                if (leadNanos > 0 && plan.size() > 0 && deadlineOf(plan.event(plan.size() - 1).scoreSeconds()) > now) {
                    return;
                }
                playState = PlayState.STOPPED;
                startSilence(now);
                positionSeconds = 0;
                next = 0;
                publishWanted = true;
                return;
            }
        }
    }

    private void anchor(long nanos, double scoreSeconds) {
        anchorNanos = nanos;
        anchorSeconds = scoreSeconds;
    }

    private long deadlineOf(double scoreSeconds) {
        double realSeconds = (scoreSeconds - anchorSeconds) * timeline.bpm() / tempoBpm;
        return anchorNanos + Math.round(realSeconds * 1e9);
    }

    /** The musical position heard at {@code nanos} while playing, never past the next unsent event. */
    private double positionAt(long nanos) {
        double elapsed = (nanos - anchorNanos) / 1e9 * tempoBpm / timeline.bpm();
        double pos = anchorSeconds + Math.max(0, elapsed);
        double limit = next < plan.size() ? plan.event(next).scoreSeconds() : timeline.totalSeconds();
        if (loopFrom > 0) {
            limit = Math.min(limit, measureEnd(loopTo));
        }
        return Math.max(anchorSeconds, Math.min(pos, limit));
    }

    private double measureStart(int measure) {
        return timeline.measureStartSeconds().get(measure - 1);
    }

    private double measureEnd(int measure) {
        return measure < timeline.measureCount() ? measureStart(measure + 1) : timeline.totalSeconds();
    }

    /**
     * Makes every voice sound what it would after all the events before {@link #next} (a note held
     * across the position is sounded again; a voice that should be quiet is silenced), leaving a
     * voice with an event due exactly at {@code scoreSeconds} to that event.
     */
    private void articulate(double scoreSeconds, long now) {
        for (int v = 0; v < voiceHz.length; v++) {
            if (plan.voiceHasEventAt(v, next, scoreSeconds)) {
                continue;
            }
            SendPlan.Event last = plan.lastOfVoiceBefore(v, next);
            double hz = last == null ? 0 : last.hz();
            if (hz != voiceHz[v]) {
                sendToVoice(v, hz, last == null ? "" : last.name(), Long.MIN_VALUE,
                        last == null ? Double.POSITIVE_INFINITY : last.endSeconds(), now);
            }
        }
    }

    /**
     * @param deadline   when the change is due (sounds), or {@code Long.MIN_VALUE} for an unscheduled
     *                   send (a note sounded again on play, resume or seek: due at the anchor)
     * @param endSeconds score time of the voice's next change, or infinity
     */
    private void sendToVoice(int voice, double hz, String name, long deadline, double endSeconds, long now) {
        voiceHz[voice] = hz;
        // A note sounded again on play, resume or seek is due at the anchor: at once without timed
        // players (nothing else waits for it), with the first scheduled notes with them.
        long due = deadline != Long.MIN_VALUE ? deadline : leadNanos == 0 ? now : Math.max(anchorNanos, now);
        long end = Double.isInfinite(endSeconds) ? Long.MAX_VALUE : Math.max(due, deadlineOf(endSeconds));
        long sendAt = deadline - leadNanos;
        for (int p : playersOfVoice[voice]) {
            long call = clock.nanoTime();
            streams[p].change(hz, due, end, call);
            long sent = clock.nanoTime();
            notesSent++;
            playerHz[p] = hz;
            playerNote[p] = name;
            if (deadline != Long.MIN_VALUE) {
                meter.record(sent - sendAt, call - sendAt);
            }
            if (observer != null) {
                observer.onSend(p, hz, deadline == Long.MIN_VALUE ? (leadNanos > 0 ? due : sent) : deadline, sent);
            }
            refresh(p);
        }
    }

    private void startSilence(long now) {
        Arrays.fill(voiceHz, 0);
        silenceRoundsLeft = Silence.REPEATS;
        nextSilenceNanos = now;
        silenceRound(now);
    }

    /** Sends 0 to every player of the roster; one failing stream does not stop the rest. */
    private void silenceRound(long now) {
        for (int p = 0; p < streams.length; p++) {
            try {
                streams[p].silenceNow(clock.nanoTime());
                long sent = clock.nanoTime();
                notesSent++;
                if (observer != null) {
                    observer.onSend(p, 0, sent, sent);
                }
            } catch (RuntimeException e) {
                LOG.error("could not silence player '{}'", streams[p].entry().name(), e);
            }
            playerHz[p] = 0;
            playerNote[p] = "";
            refresh(p);
        }
        silenceRoundsLeft--;
        nextSilenceNanos = now + Silence.SPACING_NANOS;
        publishWanted = true;
    }

    private void refresh(int p) {
        precise.set(p, streams[p].nextPreciseNanos());
        rough.set(p, streams[p].nextHousekeepingNanos());
    }
}
