package dev.concerto.director.net;

import java.net.InetAddress;

/** IP literals as the discovery table keys them. Addresses for people: {@link dev.concerto.player.AddressText}, the one formatter. */
public final class Addresses {

    private Addresses() {
    }

    /** An IP literal without a scope or a leading slash. */
    static String literal(InetAddress a) {
        String s = a.getHostAddress();
        int scope = s.indexOf('%');
        return scope < 0 ? s : s.substring(0, scope);
    }
}
