package dev.concerto.protocol;

/**
 * Wire constants shared by every Concerto format. Each constant exists here and nowhere else.
 */
public final class Wire {

    /** The UDP port a player listens on unless told otherwise: the ancestor's ESP8266 port. */
    public static final int DEFAULT_PORT = 10001;

    private Wire() {
    }
}
