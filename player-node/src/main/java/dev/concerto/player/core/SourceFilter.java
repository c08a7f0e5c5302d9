package dev.concerto.player.core;

/** Which source addresses a player accepts (the {@code --allow} list). Implementations are immutable. */
public interface SourceFilter {

    /** Accepts everyone. */
    SourceFilter ANYONE = new SourceFilter() {
        @Override
        public boolean allows(byte[] address) {
            return true;
        }

        @Override
        public String toString() {
            return "anyone";
        }
    };

    /** Whether datagrams from {@code address} (4 or 16 bytes) are accepted. */
    boolean allows(byte[] address);
}
