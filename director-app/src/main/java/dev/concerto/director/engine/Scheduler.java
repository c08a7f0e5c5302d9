package dev.concerto.director.engine;

import dev.concerto.director.score.Timeline;
import dev.concerto.protocol.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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

    /** Default delay from a play, resume or seek to the first datagram it schedules, ns. */
    public static final long DEFAULT_START_LEAD_NANOS = 20_000_000;
    /** A wrap or catch-up due longer ago than this re-anchors at "now" instead of bursting, ns. */
    static final long MAX_CATCH_UP_NANOS = 5_000_000;
    /** How early a sync request or lease renewal may go out, to share a round with others, ns. */
    public static final long ROUGH_SLACK_NANOS = 2_000_000;

    private final Timeline timeline;
    private final SendPlan plan;
    private final RosterStreams players;
    private final ScoreClock score;
    private final long startLeadNanos;
    private final double[] voiceHz;

    private PlayState playState = PlayState.STOPPED;
    private double positionSeconds;
    private int next;
    private int loopFrom;
    private int loopTo;
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
        this.players = new RosterStreams(timeline, streams, clock, meter, observer, optionalVoices);
        this.score = new ScoreClock(timeline, tempoBpm);
        this.startLeadNanos = startLeadNanos;
        this.voiceHz = new double[timeline.voices().size()];
    }

    // ---------------------------------------------------------------- probing

    /**
     * Decides each timed or auto player's protocol after the first sync burst had its time
     * ({@link PlayerStream#settleAfterProbe()}) and fixes the lead: the longest any stream wants.
     *
     * @return the {@code timed} players that never answered (they cannot be played to)
     */
    public List<PlayerStream> settle() {
        return players.settle();
    }

    /** Whether every player that syncs has answered at least {@code wanted} requests. */
    public boolean answeredAtLeast(long wanted) {
        return players.answeredAtLeast(wanted);
    }

    /** Whether every player that syncs has been sent at least {@code wanted} requests. Any thread. */
    public boolean askedAtLeast(long wanted) {
        return players.askedAtLeast(wanted);
    }

    // ---------------------------------------------------------------- commands

    public void play(long now) {
        if (playState == PlayState.PLAYING) {
            return;
        }
        if (playState == PlayState.STOPPED) {
            players.resetSends();
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
        score.anchor(now + startLeadNanos + players.leadNanos(), positionSeconds);
        articulate(positionSeconds, now);
        publishWanted = true;
    }

    public void pause(long now) {
        if (playState == PlayState.PLAYING) {
            positionSeconds = positionAt(now);
            playState = PlayState.PAUSED; // next stays: the events before it were sent
            resumeAfterSilence = false;
            if (players.leadNanos() > 0) {
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
        positionSeconds = loopFrom > 0 ? score.measureStart(loopFrom) : 0;
        next = plan.firstAtOrAfter(positionSeconds);
        publishWanted = true;
    }

    /** Moves to a 1-based measure (checked by the caller). */
    public void seek(int measure, long now) {
        positionSeconds = score.measureStart(measure);
        next = plan.firstAtOrAfter(positionSeconds);
        if (playState == PlayState.PLAYING) {
            if (players.leadNanos() > 0) {
                startSilence(now); // what was handed over ahead belongs to the old position
                resumeAfterSilence = true;
            } else {
                score.anchor(now + startLeadNanos, positionSeconds);
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
            long at = now + players.leadNanos();
            positionSeconds = positionAt(at);
            score.setTempo(bpm);
            score.anchor(at, positionSeconds);
        } else {
            score.setTempo(bpm);
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
        players.changeOne(player, hz, dueNanos, Long.MAX_VALUE, now);
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
        // Timed players' leads follow their paths (DeliveryPolicy): changes are handed over the
        // longest lead any player wants now. A shrinking lead never moves the send horizon back (the
        // policy shrinks it gently), so nothing handed over is handed over again.
        players.onDatagram(player, datagram, length, arrivalNanos);
    }

    // ---------------------------------------------------------------- the shell's loop

    /** Whether repeated silences are still going out (commands wait until they are done). */
    public boolean silencing() {
        return silenceRoundsLeft > 0;
    }

    /** When the next precise work is due (a change, a silence round), or {@link Long#MAX_VALUE}. */
    public long nextPreciseNanos() {
        long t = players.nextPreciseNanos();
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
        return players.nextRoughNanos();
    }

    /** Does everything due at {@code now}: silence rounds, the plan, plain-integer changes, rough work. */
    public void runDue(long now) {
        if (silenceRoundsLeft > 0 && nextSilenceNanos <= now) {
            silenceRound(now);
        }
        if (silenceRoundsLeft == 0 && resumeAfterSilence) {
            resumeAfterSilence = false;
            score.anchor(now + startLeadNanos + players.leadNanos(), positionSeconds);
            articulate(positionSeconds, now);
        }
        if (playState == PlayState.PLAYING && silenceRoundsLeft == 0) {
            stepPlan(now);
        }
        players.pollDue(now, now + ROUGH_SLACK_NANOS);
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
        return players.leadNanos();
    }

    /** The streams, in roster order. */
    public List<PlayerStream> streams() {
        return players.all();
    }

    /** The transport as of {@code now}. */
    public TransportState snapshot(long now) {
        return new TransportState(playState, positionSeconds, timeline.measureAt(positionSeconds),
                timeline.measureCount(), score.tempoBpm(), loopFrom, loopTo, players.sends(), players.activities(now));
    }

    // ---------------------------------------------------------------- the plan

    private long nextPlanNanos() {
        double loopEnd = loopFrom > 0 ? score.measureEnd(loopTo) : Double.POSITIVE_INFINITY;
        if (next < plan.size() && plan.event(next).scoreSeconds() < loopEnd) {
            return score.deadlineOf(plan.event(next).scoreSeconds()) - players.leadNanos();
        }
        if (loopFrom > 0) {
            return score.deadlineOf(loopEnd) - players.leadNanos();
        }
        // The end of the piece: once the last change handed over ahead is due.
        return players.leadNanos() > 0 && plan.size() > 0
                ? score.deadlineOf(plan.event(plan.size() - 1).scoreSeconds())
                : Long.MIN_VALUE;
    }

    private void stepPlan(long now) {
        while (playState == PlayState.PLAYING) {
            double loopEnd = loopFrom > 0 ? score.measureEnd(loopTo) : Double.POSITIVE_INFINITY;
            if (next < plan.size() && plan.event(next).scoreSeconds() < loopEnd) {
                SendPlan.Event e = plan.event(next);
                long deadline = score.deadlineOf(e.scoreSeconds());
                if (deadline - players.leadNanos() > now) {
                    return;
                }
                next++;
                positionSeconds = e.scoreSeconds();
                sendToVoice(e.voice(), e.hz(), e.name(), deadline, e.endSeconds(), now);
                if (next >= plan.size() || plan.event(next).scoreSeconds() != e.scoreSeconds()) {
                    publishWanted = true; // once per instant, after all the datagrams due then
                }
            } else if (loopFrom > 0) {
                long deadline = score.deadlineOf(loopEnd);
                if (deadline - players.leadNanos() > now) {
                    return;
                }
                double start = score.measureStart(loopFrom);
                long lead = players.leadNanos();
                score.anchor(now - (deadline - lead) > MAX_CATCH_UP_NANOS ? now + lead : deadline, start);
                positionSeconds = start;
                next = plan.firstAtOrAfter(start);
                articulate(start, now);
                publishWanted = true;
            } else {
                if (players.leadNanos() > 0 && plan.size() > 0
                        && score.deadlineOf(plan.event(plan.size() - 1).scoreSeconds()) > now) {
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

    /** The musical position heard at {@code nanos} while playing, never past the next unsent event. */
    private double positionAt(long nanos) {
        double limit = next < plan.size() ? plan.event(next).scoreSeconds() : timeline.totalSeconds();
        if (loopFrom > 0) {
            limit = Math.min(limit, score.measureEnd(loopTo));
        }
        return score.positionAt(nanos, limit);
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
        long lead = players.leadNanos();
        // A note sounded again on play, resume or seek is due at the anchor: at once without timed
        // players (nothing else waits for it), with the first scheduled notes with them.
        long due = deadline != Long.MIN_VALUE ? deadline : lead == 0 ? now : Math.max(score.anchorNanos(), now);
        long end = Double.isInfinite(endSeconds) ? Long.MAX_VALUE : Math.max(due, score.deadlineOf(endSeconds));
        players.changeVoice(voice, hz, name, deadline, due, end, deadline - lead);
    }

    private void startSilence(long now) {
        Arrays.fill(voiceHz, 0);
        silenceRoundsLeft = Silence.REPEATS;
        nextSilenceNanos = now;
        silenceRound(now);
    }

    /** Sends 0 to every player of the roster (one failing stream does not stop the rest). */
    private void silenceRound(long now) {
        players.silenceRound();
        silenceRoundsLeft--;
        nextSilenceNanos = now + Silence.SPACING_NANOS;
        publishWanted = true;
    }
}
