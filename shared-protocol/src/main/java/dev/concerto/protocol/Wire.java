package dev.concerto.protocol;

/**
 * Wire constants shared by every Concerto format. Each constant exists here and nowhere else.
 */
public final class Wire {

    /** The UDP port a player listens on unless told otherwise: the ancestor's ESP8266 port. */
    public static final int DEFAULT_PORT = 10001;

    /** The UDP port a director listens on for players' join announces (PROTOCOL.md §3). */
    public static final int DEFAULT_JOIN_PORT = 10000;

    /** The DNS-SD service type players register and directors browse (PROTOCOL.md §4). */
    public static final String MDNS_SERVICE_TYPE = "_concerto._udp.local.";

    private Wire() {
    }
}
