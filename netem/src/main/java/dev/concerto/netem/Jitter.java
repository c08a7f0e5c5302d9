package dev.concerto.netem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The variable part of a one-way delay, drawn per datagram from a seeded random source. All values
 * in microseconds, never negative. Implementations are immutable; the random source carries the state.
 */
public sealed interface Jitter {

    /** One delay, µs (≥ 0). */
    long sampleMicros(SplittableRandom random);

    /** No jitter: always 0. */
    Jitter NONE = new None();

    /** No jitter. */
    record None() implements Jitter {
        @Override
        public long sampleMicros(SplittableRandom random) {
            return 0;
        }
    }

    /**
     * Lognormal: the usual shape of queueing delay on a shared medium (most datagrams near the
     * median, a long right tail).
     *
     * @param medianMicros the median, µs (&gt; 0)
     * @param p99Micros    the 99th percentile, µs (≥ the median)
     */
    record LogNormal(long medianMicros, long p99Micros) implements Jitter {
        /** z of the 99th percentile of the standard normal. */
        private static final double Z99 = 2.326347874;

        public LogNormal {
            if (medianMicros <= 0 || p99Micros < medianMicros) {
                throw new IllegalArgumentException("lognormal jitter needs 0 < median <= p99, got " + medianMicros
                        + " / " + p99Micros + " µs");
            }
        }

        @Override
        public long sampleMicros(SplittableRandom random) {
            double sigma = Math.log((double) p99Micros / medianMicros) / Z99;
            return Math.round(medianMicros * Math.exp(sigma * gaussian(random)));
        }
    }

    /**
     * Heavy-tailed (Pareto type II, "Lomax"): {@code scale · (U^(−1/alpha) − 1)}, capped. With alpha
     * below 2 its variance is infinite: a few datagrams are held for very long, as a Wi-Fi station
     * retrying behind a busy neighbour does.
     *
     * @param scaleMicros the scale, µs (&gt; 0); the median is {@code scale · (2^(1/alpha) − 1)}
     * @param alpha       the tail index (&gt; 0; smaller = heavier)
     * @param capMicros   no delay beyond this, µs
     */
    record Pareto(long scaleMicros, double alpha, long capMicros) implements Jitter {
        public Pareto {
            if (scaleMicros <= 0 || alpha <= 0 || capMicros <= 0) {
                throw new IllegalArgumentException("pareto jitter needs a positive scale, alpha and cap");
            }
        }

        @Override
        public long sampleMicros(SplittableRandom random) {
            double u = 1.0 - random.nextDouble(); // (0, 1]
            double d = scaleMicros * (Math.pow(u, -1.0 / alpha) - 1.0);
            return Math.min(capMicros, Math.round(d));
        }
    }

    /**
     * A body with an occasional tail: with probability {@code tailProbability} a datagram gets the
     * tail's delay added to the body's.
     */
    record Mixture(Jitter body, double tailProbability, Jitter tail) implements Jitter {
        public Mixture {
            if (!(tailProbability >= 0 && tailProbability <= 1)) {
                throw new IllegalArgumentException("tail probability " + tailProbability + " is outside 0..1");
            }
        }

        @Override
        public long sampleMicros(SplittableRandom random) {
            long d = body.sampleMicros(random);
            return random.nextDouble() < tailProbability ? d + tail.sampleMicros(random) : d;
        }
    }

    /**
     * Replays recorded one-way delays in order (cycling), starting at a place chosen by the seed.
     * The delays are the variable part: a trace of whole one-way delays goes with a base delay of 0.
     * The only jitter with state (its cursor): not thread-safe; each {@link PathDecider} works on
     * its own copy.
     */
    final class Trace implements Jitter {
        private final long[] delaysMicros;
        private int cursor = -1;

        private Trace(long[] delaysMicros) {
            if (delaysMicros.length == 0) {
                throw new IllegalArgumentException("a delay trace needs at least one delay");
            }
            for (long d : delaysMicros) {
                if (d < 0) {
                    throw new IllegalArgumentException("a delay trace cannot hold a negative delay: " + d);
                }
            }
            this.delaysMicros = delaysMicros;
        }

        /** A trace of the given delays, µs (at least one, none negative). */
        public static Trace of(long... delaysMicros) {
            return new Trace(delaysMicros.clone());
        }

        /**
         * Reads a trace file: one one-way delay in milliseconds per line (decimals allowed), blank lines
         * and lines starting with {@code #} ignored.
         *
         * @throws IOException when the file cannot be read, or a line is not a delay (the message names
         *                     the file, the line and what is wrong)
         */
        public static Trace load(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file);
            List<Long> delays = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                double ms;
                try {
                    ms = Double.parseDouble(line);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + (i + 1) + ": '" + line + "' is not a delay in milliseconds");
                }
                if (!(ms >= 0 && ms <= 60_000)) {
                    throw new IOException(file + ":" + (i + 1) + ": delay " + line + " ms is outside 0..60000");
                }
                delays.add(Math.round(ms * 1000));
            }
            if (delays.isEmpty()) {
                throw new IOException(file + ": no delays (one per line, in milliseconds)");
            }
            return of(delays.stream().mapToLong(Long::longValue).toArray());
        }

        /** Delays in the trace. */
        public int size() {
            return delaysMicros.length;
        }

        @Override
        public long sampleMicros(SplittableRandom random) {
            if (cursor < 0) {
                cursor = random.nextInt(delaysMicros.length);
            }
            long d = delaysMicros[cursor];
            cursor = (cursor + 1) % delaysMicros.length;
            return d;
        }

        /** A copy with its own cursor, at the start. */
        Trace fresh() {
            return new Trace(delaysMicros);
        }

        @Override
        public String toString() {
            return "Trace[" + delaysMicros.length + " delays]";
        }
    }

    /** A fresh copy of any state a jitter carries (only a trace has a cursor). */
    static Jitter fresh(Jitter j) {
        if (j instanceof Trace t) {
            return t.fresh();
        }
        if (j instanceof Mixture m) {
            return new Mixture(fresh(m.body()), m.tailProbability(), fresh(m.tail()));
        }
        return j;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
