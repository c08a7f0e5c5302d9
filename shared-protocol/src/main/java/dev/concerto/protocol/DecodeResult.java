package dev.concerto.protocol;

import java.util.Objects;

/**
 * The outcome of decoding one datagram: either a value or a typed rejection. Decoders return
 * this instead of throwing, because bad input from the network is normal, not exceptional.
 *
 * @param <T> the decoded value's type
 */
public sealed interface DecodeResult<T> permits DecodeResult.Accepted, DecodeResult.Rejected {

    /** A datagram that followed the grammar. */
    record Accepted<T>(T value) implements DecodeResult<T> {
        public Accepted {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A datagram that did not.
     *
     * @param reason the category, for counting
     * @param detail a human-readable explanation, for the (rate-limited) log
     */
    record Rejected<T>(RejectReason reason, String detail) implements DecodeResult<T> {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    static <T> DecodeResult<T> accepted(T value) {
        return new Accepted<>(value);
    }

    static <T> DecodeResult<T> rejected(RejectReason reason, String detail) {
        return new Rejected<>(reason, detail);
    }
}
