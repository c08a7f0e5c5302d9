package dev.concerto.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The messages of the timed protocol (see {@link TimedCodec} for their grammar). All times are
 * integer microseconds; each clock's origin is its owner's business, only differences and the
 * offsets the sync exchange measures matter.
 */
public sealed interface TimedMessage permits TimedMessage.Tone, TimedMessage.SyncRequest, TimedMessage.SyncReply {

    /** The highest sequence number; sequence numbers compare by serial arithmetic (RFC 1982). */
    long MAX_SEQ = 0xFFFF_FFFFL;

    /** The sequence number, 0..{@link #MAX_SEQ}. */
    long seq();

    /**
     * "Sound {@code hz} from {@code atMicros} (player clock) for {@code leaseMillis}." The lease ends
     * the tone unless a later message replaces or extends it; {@code hz == 0} silences at that time.
     *
     * @param seq         sequence number of this tone message within the director's session
     * @param atMicros    start time in the player's clock, microseconds, 0..{@link TimedCodec#MAX_TIME_MICROS}
     * @param milliHz     frequency in millihertz: 0, or {@link LegacyCodec#MIN_HZ}..{@link LegacyCodec#MAX_HZ} Hz
     * @param leaseMillis how long the tone may sound without news, 1..{@link TimedCodec#MAX_LEASE_MILLIS} ms
     */
    record Tone(long seq, long atMicros, long milliHz, int leaseMillis) implements TimedMessage {
        public Tone {
            checkSeq(seq);
            if (atMicros < 0 || atMicros > TimedCodec.MAX_TIME_MICROS) {
                throw new IllegalArgumentException("start time " + atMicros + " µs out of range");
            }
            if (milliHz != 0 && (milliHz < LegacyCodec.MIN_HZ * 1000L || milliHz > LegacyCodec.MAX_HZ * 1000L)) {
                throw new IllegalArgumentException("frequency " + milliHz + " mHz out of range");
            }
            if (leaseMillis < 1 || leaseMillis > TimedCodec.MAX_LEASE_MILLIS) {
                throw new IllegalArgumentException("lease " + leaseMillis + " ms out of range");
            }
        }

        /** The frequency in hertz. */
        public double hz() {
            return milliHz / 1000.0;
        }

        /** When the lease runs out, in the player's clock. */
        public long leaseEndMicros() {
            return atMicros + leaseMillis * 1000L;
        }
    }

    /**
     * The director's half of a clock-sync exchange: "my clock read {@code t1} when I sent this".
     *
     * @param seq        sequence number of the exchange (sync and tone sequences are separate)
     * @param t1Micros   director's clock at sending, µs
     */
    record SyncRequest(long seq, long t1Micros) implements TimedMessage {
        public SyncRequest {
            checkSeq(seq);
            checkTime(t1Micros);
        }
    }

    /**
     * A player's answer: it echoes {@code t1}, gives its clock at receiving ({@code t2}) and at
     * answering ({@code t3}), and the protocol versions it speaks.
     *
     * @param versions the protocols the player speaks, e.g. {@code [legacy, timed/1]}
     */
    record SyncReply(long seq, long t1Micros, long t2Micros, long t3Micros, List<String> versions)
            implements TimedMessage {
        public SyncReply {
            checkSeq(seq);
            checkTime(t1Micros);
            checkTime(t2Micros);
            checkTime(t3Micros);
            versions = List.copyOf(Objects.requireNonNull(versions, "versions"));
            for (String v : versions) {
                if (v.isEmpty() || !v.chars().allMatch(TimedCodec::isVersionChar)) {
                    throw new IllegalArgumentException("bad version token '" + v + "'");
                }
            }
        }
    }

    private static void checkSeq(long seq) {
        if (seq < 0 || seq > MAX_SEQ) {
            throw new IllegalArgumentException("sequence number " + seq + " out of range");
        }
    }

    private static void checkTime(long micros) {
        if (micros < 0 || micros > TimedCodec.MAX_TIME_MICROS) {
            throw new IllegalArgumentException("time " + micros + " µs out of range");
        }
    }
}
