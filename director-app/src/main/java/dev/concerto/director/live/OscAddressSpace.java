package dev.concerto.director.live;

import com.illposed.osc.OSCMessage;
import java.util.List;

/**
 * The director's OSC address space: an {@link OSCMessage} to an {@link OscCommand}, or the reason it
 * is refused. Pure; thread-safe (stateless).
 *
 * <p>Numbers may come as int ({@code i}), long ({@code h}), float ({@code f}) or double ({@code d}):
 * oscsend users write {@code f 120} or {@code i 120} and both mean 120. Frequencies must be 0 or
 * 1..20000 Hz, note lengths 0.001..600 s, tempi 1..2000 bpm, measures and ports in range: anything
 * else is refused, never clamped into a wrong tone.
 */
public final class OscAddressSpace {

    /** Every address starts with this. */
    public static final String PREFIX = "/concerto/";
    private static final String VOICE_PREFIX = PREFIX + "voice/";
    private static final String VOICE_SUFFIX = "/hz";
    static final double MAX_NOTE_SECONDS = 600;

    /** Why a message was refused (each counted separately). */
    public enum Refusal {
        UNKNOWN_ADDRESS("unknown-address"),
        BAD_ARGUMENTS("bad-arguments"),
        OUT_OF_RANGE("out-of-range");

        private final String key;

        Refusal(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** The outcome of reading one message. */
    public sealed interface Parsed {
    }

    public record Accepted(OscCommand command) implements Parsed {
    }

    public record Refused(Refusal reason, String detail) implements Parsed {
    }

    private OscAddressSpace() {
    }

    public static Parsed parse(OSCMessage message) {
        String address = message.getAddress();
        List<Object> args = message.getArguments();
        try {
            if (address.startsWith(VOICE_PREFIX) && address.endsWith(VOICE_SUFFIX)
                    && address.length() > VOICE_PREFIX.length() + VOICE_SUFFIX.length()) {
                String voice = address.substring(VOICE_PREFIX.length(), address.length() - VOICE_SUFFIX.length());
                arity(args, 1);
                return new Accepted(new OscCommand.VoiceHz(voice, hz(args.get(0))));
            }
            return switch (address) {
                case PREFIX + "play" -> none(args, new OscCommand.Play());
                case PREFIX + "pause" -> none(args, new OscCommand.Pause());
                case PREFIX + "stop" -> none(args, new OscCommand.Stop());
                case PREFIX + "panic" -> none(args, new OscCommand.Panic());
                case PREFIX + "seek" -> {
                    arity(args, 1);
                    yield new Accepted(new OscCommand.Seek(measure(args.get(0), 1)));
                }
                case PREFIX + "tempo" -> {
                    arity(args, 1);
                    double bpm = number(args.get(0));
                    if (!(bpm >= 1 && bpm <= 2_000)) {
                        throw new RangeException("tempo " + bpm + " bpm is outside 1..2000");
                    }
                    yield new Accepted(new OscCommand.Tempo(bpm));
                }
                case PREFIX + "loop" -> {
                    arity(args, 2);
                    int from = measure(args.get(0), 0);
                    int to = measure(args.get(1), 0);
                    if ((from == 0) != (to == 0) || to < from) {
                        throw new RangeException("loop " + from + ".." + to + " is not a range of measures (0 0 clears)");
                    }
                    yield new Accepted(new OscCommand.Loop(from, to));
                }
                case PREFIX + "note" -> {
                    arity(args, 3);
                    String voice = string(args.get(0));
                    double f = hz(args.get(1));
                    double seconds = number(args.get(2));
                    if (!(seconds >= 0.001 && seconds <= MAX_NOTE_SECONDS)) {
                        throw new RangeException("note length " + seconds + " s is outside 0.001.." + MAX_NOTE_SECONDS);
                    }
                    yield new Accepted(new OscCommand.Note(voice, f, seconds));
                }
                case PREFIX + "subscribe", PREFIX + "unsubscribe" -> {
                    arity(args, 2);
                    String host = string(args.get(0));
                    int port = (int) integer(args.get(1));
                    if (port < 1 || port > 65_535) {
                        throw new RangeException("port " + port + " is outside 1..65535");
                    }
                    yield new Accepted(address.endsWith("/subscribe") ? new OscCommand.Subscribe(host, port)
                            : new OscCommand.Unsubscribe(host, port));
                }
                case PREFIX + "load" -> {
                    arity(args, 1);
                    yield new Accepted(new OscCommand.Load(string(args.get(0))));
                }
                default -> new Refused(Refusal.UNKNOWN_ADDRESS, address);
            };
        } catch (ArgumentException e) {
            return new Refused(Refusal.BAD_ARGUMENTS, address + ": " + e.getMessage());
        } catch (RangeException e) {
            return new Refused(Refusal.OUT_OF_RANGE, address + ": " + e.getMessage());
        }
    }

    private static Parsed none(List<Object> args, OscCommand c) {
        arity(args, 0);
        return new Accepted(c);
    }

    private static void arity(List<Object> args, int n) {
        if (args.size() != n) {
            throw new ArgumentException("takes " + n + " argument" + (n == 1 ? "" : "s") + ", got " + args.size());
        }
    }

    private static double number(Object o) {
        if (o instanceof Integer || o instanceof Long || o instanceof Float || o instanceof Double) {
            double d = ((Number) o).doubleValue();
            if (!Double.isFinite(d)) {
                throw new RangeException("not a finite number: " + d);
            }
            return d;
        }
        throw new ArgumentException("expected a number, got " + describe(o));
    }

    private static long integer(Object o) {
        double d = number(o);
        if (d != Math.rint(d)) {
            throw new ArgumentException("expected a whole number, got " + d);
        }
        return (long) d;
    }

    private static String string(Object o) {
        if (o instanceof String s && !s.isBlank()) {
            return s;
        }
        if (o instanceof com.illposed.osc.argument.OSCSymbol sym && !sym.toString().isBlank()) {
            return sym.toString();
        }
        throw new ArgumentException("expected a non-empty string, got " + describe(o));
    }

    private static double hz(Object o) {
        double f = number(o);
        if (f != 0 && !(f >= KeyMapping.MIN_HZ && f <= KeyMapping.MAX_HZ)) {
            throw new RangeException("frequency " + f + " Hz is outside 1.." + KeyMapping.MAX_HZ + " (0: silence)");
        }
        return f;
    }

    private static int measure(Object o, int min) {
        long m = integer(o);
        if (m < min || m > 100_000) {
            throw new RangeException("measure " + m + " is outside " + min + "..100000");
        }
        return (int) m;
    }

    private static String describe(Object o) {
        return o == null ? "nil" : o.getClass().getSimpleName() + " " + o;
    }

    private static final class ArgumentException extends RuntimeException {
        ArgumentException(String m) {
            super(m, null, false, false);
        }
    }

    private static final class RangeException extends RuntimeException {
        RangeException(String m) {
            super(m, null, false, false);
        }
    }
}
