package dev.concerto.director.engine;

import dev.concerto.protocol.SoftwareVersion;
import dev.concerto.protocol.TimedCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Warnings about a discovered player too old for what the director needs, each naming the player
 * and both versions. Pure.
 */
public final class VersionAdvice {

    /** The first Concerto release whose players speak timed/1 and announce themselves. */
    public static final String TIMED_SINCE = "0.1.0";

    private VersionAdvice() {
    }

    /**
     * @param player           what the player announced
     * @param directorVersion  this director's version ({@link SoftwareVersion#current()})
     * @param rosterProtocol   the protocol a roster asks of it, or
     *                         {@code null} when it is not in a roster
     * @return the warnings, empty when there is nothing to say
     */
    public static List<String> warnings(DiscoveredPlayer player, String directorVersion, Protocol rosterProtocol) {
        List<String> out = new ArrayList<>();
        String who = "player '" + player.name() + "' at " + player.address() + " (Concerto "
                + (player.version().isEmpty() ? "of unknown version" : player.version()) + ")";
        if (!player.speaksTimed() && rosterProtocol != Protocol.LEGACY) {
            out.add(who + " does not speak " + TimedCodec.VERSION_TIMED_1 + ", which "
                    + (rosterProtocol == Protocol.TIMED ? "the roster asks of it" : "clock-synchronised playing needs")
                    + " (players " + TIMED_SINCE + " or newer; this director is " + directorVersion
                    + "): it will get the plain integer" + (rosterProtocol == Protocol.TIMED ? " only with protocol legacy or auto" : ""));
        }
        if (!player.version().isEmpty() && SoftwareVersion.compare(player.version(), directorVersion) < 0) {
            out.add(who + " is older than this director (" + directorVersion + "): update it so both speak the same"
                    + " protocol versions");
        }
        return out;
    }
}
