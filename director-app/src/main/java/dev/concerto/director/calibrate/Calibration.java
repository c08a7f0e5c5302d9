package dev.concerto.director.calibrate;

import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.protocol.signal.BandEnvelope;
import dev.concerto.protocol.signal.ChipSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds, in one microphone recording of a {@link ProbePlan}, when each player's probe arrived, and
 * turns the arrivals into latency offsets: the earliest player keeps 0, each later one gets a
 * negative offset of its lateness (so it is sent its notes that much earlier, as the roster's
 * {@code latencyOffsetMs} means). Pure: samples, a capture clock and deadlines in; results out.
 */
public final class Calibration {

    /** A match whose correlation peak is less than this times the strongest side lobe is not believed. */
    static final double MIN_CLARITY = 2.0;
    /** A probe quieter than this (sample units; full scale 1) was not heard. */
    static final double MIN_LEVEL = 0.002;
    /** Where a probe is searched for, from its deadline (the capture path's latency is unknown). */
    static final double SEARCH_BEFORE_SECONDS = 0.2;
    public static final double SEARCH_AFTER_SECONDS = 0.45;

    private Calibration() {
    }

    /** Why a player got no offset. */
    public enum Outcome {
        /** Found clearly. */
        HEARD,
        /** Nothing at the probe's frequency where it should be: the microphone does not hear this player. */
        SILENT,
        /** Something, but no single clear arrival: another sound, an echo, or two players at once. */
        UNCLEAR
    }

    /**
     * One player's result.
     *
     * @param entry        the roster entry (with its offset before calibration)
     * @param outcome      whether it was heard clearly
     * @param arrivalMs    the probe's arrival after its deadline, on the recording's clock (includes
     *                     the microphone's own latency, the same for every player), ms; NaN unless heard
     * @param level        the probe's amplitude in the recording (full scale 1)
     * @param clarity      the correlation peak over the strongest side lobe
     * @param newOffsetMs  the suggested latencyOffsetMs (the old one when not heard)
     */
    public record PlayerResult(RosterEntry entry, Outcome outcome, double arrivalMs, double level, double clarity,
                               double newOffsetMs) {

        /** A line for the CLI and the GUI: name, outcome, before → after. */
        public String describe() {
            return switch (outcome) {
                case HEARD -> String.format(Locale.ROOT, "%-16s heard %+7.2f ms (level %.3f, clarity %.1f)   offset %+.1f -> %+.1f ms",
                        entry.name(), arrivalMs, level, clarity, entry.latencyOffsetMs(), newOffsetMs);
                case SILENT -> String.format(Locale.ROOT, "%-16s NOT HEARD: the microphone picked up nothing at %s"
                        + " (is the player's speaker on and near the microphone?)   offset stays %+.1f ms",
                        entry.name(), "the probe tone", entry.latencyOffsetMs());
                case UNCLEAR -> String.format(Locale.ROOT, "%-16s UNCLEAR: no single clear arrival (clarity %.1f; another"
                        + " sound, an echo or two players at once)   offset stays %+.1f ms",
                        entry.name(), clarity, entry.latencyOffsetMs());
            };
        }
    }

    /**
     * Analyses a recording.
     *
     * @param plan          what was played
     * @param samples       the microphone's samples, mono, full scale ±1
     * @param sampleRate    their rate
     * @param clock         when each sample was captured
     * @param deadlineNanos per player of the plan, when its pattern's first chip was due (the
     *                      director's monotonic clock, the same as the capture clock's)
     */
    public static List<PlayerResult> analyse(ProbePlan plan, float[] samples, int sampleRate, CaptureClock clock,
                                             long[] deadlineNanos) {
        float[] envelope = BandEnvelope.of(samples, sampleRate, plan.hz(), 0.004);
        ChipSequence chips = plan.chips();
        List<PlayerResult> results = new ArrayList<>();
        double earliest = Double.POSITIVE_INFINITY;
        List<Double> arrivals = new ArrayList<>();
        List<ChipSequence.Match> matches = new ArrayList<>();
        for (int i = 0; i < plan.players().size(); i++) {
            double expected = clock.frameAt(deadlineNanos[i]) / sampleRate;
            double from = Math.max(0, expected - SEARCH_BEFORE_SECONDS);
            double to = expected + SEARCH_AFTER_SECONDS;
            ChipSequence.Match m;
            if (to * sampleRate + chips.seconds() * sampleRate > samples.length || from >= to) {
                m = new ChipSequence.Match(Double.NaN, 0, 0);
            } else {
                m = chips.find(envelope, sampleRate, from, to);
            }
            matches.add(m);
            double arrival = Double.NaN;
            if (m.level() >= MIN_LEVEL && m.peakToSideLobe() >= MIN_CLARITY) {
                arrival = (clock.nanosOf(m.startSeconds() * sampleRate) - deadlineNanos[i]) / 1e6;
                earliest = Math.min(earliest, arrival);
            }
            arrivals.add(arrival);
        }
        for (int i = 0; i < plan.players().size(); i++) {
            RosterEntry e = plan.players().get(i);
            ChipSequence.Match m = matches.get(i);
            double arrival = arrivals.get(i);
            Outcome outcome = !Double.isNaN(arrival) ? Outcome.HEARD : m.level() < MIN_LEVEL ? Outcome.SILENT : Outcome.UNCLEAR;
            double offset = outcome == Outcome.HEARD
                    ? Math.round(-(arrival - earliest) * 10) / 10.0 // 0.1 ms: finer than the method's error
                    : e.latencyOffsetMs();
            results.add(new PlayerResult(e, outcome, arrival, m.level(), m.peakToSideLobe(), offset == 0 ? 0 : offset));
        }
        return results;
    }

    /** {@code roster} with each heard player's offset replaced by the calibrated one. */
    public static Roster apply(Roster roster, List<PlayerResult> results) {
        List<RosterEntry> entries = new ArrayList<>();
        for (RosterEntry e : roster.entries()) {
            RosterEntry updated = e;
            for (PlayerResult r : results) {
                if (r.outcome() == Outcome.HEARD && r.entry().equals(e)) {
                    updated = new RosterEntry(e.name(), e.host(), e.port(), e.protocol(), e.voice(), r.newOffsetMs());
                }
            }
            entries.add(updated);
        }
        return new Roster(roster.source(), entries);
    }
}
