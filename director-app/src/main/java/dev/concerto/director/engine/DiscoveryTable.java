package dev.concerto.director.engine;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.JoinCodec;
import dev.concerto.protocol.JoinMessage;
import dev.concerto.protocol.RejectReason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The players a director has discovered, fed with join datagrams and mDNS sightings; pure (no
 * socket, no thread, no clock of its own: every call takes "now"). A join announce adds or refreshes
 * a player until its ttl runs out and is answered with an ack; a ttl of 0 removes it. An mDNS
 * sighting lasts until mDNS removes it. One player found both ways is one entry (keyed by address).
 *
 * <p><b>Bounded memory</b>: at most {@value #MAX_PLAYERS} players (when full, a new one replaces
 * the one heard of least recently); rejected datagrams only increment a counter per
 * {@link RejectReason}. A flood of bogus announces therefore costs no memory; a flood of valid ones
 * from many addresses costs at most the table. With a key, unsigned and forged announces are
 * rejected (counted, never acknowledged).
 *
 * <p>Not thread-safe: its owner (the discovery shell) serialises calls.
 */
public final class DiscoveryTable {

    /** The most players remembered at once. */
    public static final int MAX_PLAYERS = 256;

    private final Authenticator auth;
    // Insertion order = least recently heard of first: a refresh moves an entry to the end.
    private final LinkedHashMap<String, Entry> players = new LinkedHashMap<>();
    private final Map<String, String> mdnsServices = new HashMap<>();
    private final EnumMap<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    private long accepted;
    private long evicted;
    private long version;

    private static final class Entry {
        DiscoveredPlayer player;
        long joinExpiresNanos = Long.MIN_VALUE; // no join announce in force
        String mdnsService;                     // null: not seen by mDNS
    }

    /** @param auth the shared key's authenticator, or {@code null}: then unsigned announces are accepted */
    public DiscoveryTable(Authenticator auth) {
        this.auth = auth;
    }

    /** What to do with one join datagram. */
    public sealed interface Outcome permits Outcome.Ack, Outcome.Rejected {
        /**
         * Send {@code datagram} back to the announce's source; the table changed when {@code changed};
         * {@code withdrawn} when the announce was a goodbye.
         */
        record Ack(byte[] datagram, DiscoveredPlayer player, boolean changed, boolean withdrawn) implements Outcome {
        }

        /** Dropped and counted. */
        record Rejected(RejectReason reason, String detail) implements Outcome {
        }
    }

    /**
     * Handles one datagram that arrived on the join port.
     *
     * @param host     its source address, an IP literal
     * @param nowNanos the director's monotonic clock at receipt
     */
    public Outcome onJoinDatagram(byte[] buf, int length, String host, long nowNanos) {
        DecodeResult<JoinMessage> r = JoinCodec.decode(buf, 0, length, auth);
        if (r instanceof DecodeResult.Rejected<JoinMessage> rej) {
            return reject(rej.reason(), rej.detail());
        }
        JoinMessage m = ((DecodeResult.Accepted<JoinMessage>) r).value();
        if (!(m instanceof JoinMessage.Announce a)) {
            return reject(RejectReason.BAD_SYNTAX, "an ack sent to a director");
        }
        accepted++;
        String key = key(host, a.port());
        byte[] ack = JoinCodec.encode(new JoinMessage.Ack(a.seq()), auth);
        DiscoveredPlayer p = new DiscoveredPlayer(a.name(), host, a.port(), a.version(), a.protocols(),
                a.generator(), a.voice(), DiscoveredPlayer.Via.JOIN, nowNanos);
        if (a.isGoodbye()) {
            Entry e = players.get(key);
            boolean changed = false;
            if (e != null) {
                e.joinExpiresNanos = Long.MIN_VALUE;
                if (e.mdnsService == null) {
                    players.remove(key);
                }
                changed = true;
                version++;
            }
            return new Outcome.Ack(ack, p, changed, true);
        }
        Entry e = players.remove(key);
        boolean changed = e == null || !sameAnnounce(e.player, p);
        if (e == null) {
            e = new Entry();
            makeRoom();
        }
        e.player = p;
        e.joinExpiresNanos = nowNanos + a.ttlSeconds() * 1_000_000_000L;
        players.put(key, e);
        if (changed) {
            version++;
        }
        return new Outcome.Ack(ack, p, changed, false);
    }

    /** Adds or updates a player mDNS resolved under {@code service} (its instance name). */
    public void putMdns(String service, DiscoveredPlayer player) {
        removeMdns(service);
        String key = key(player.host(), player.port());
        Entry e = players.remove(key);
        if (e == null) {
            e = new Entry();
            makeRoom();
        }
        if (e.player == null || e.joinExpiresNanos == Long.MIN_VALUE) {
            e.player = player;
        }
        e.mdnsService = service;
        players.put(key, e);
        mdnsServices.put(service, key);
        version++;
    }

    /** Forgets what mDNS said under {@code service} (the player withdrew it or its record expired). */
    public void removeMdns(String service) {
        String key = mdnsServices.remove(service);
        if (key == null) {
            return;
        }
        Entry e = players.get(key);
        if (e != null && service.equals(e.mdnsService)) {
            e.mdnsService = null;
            if (e.joinExpiresNanos == Long.MIN_VALUE) {
                players.remove(key);
            }
            version++;
        }
    }

    /** Forgets join-announced players whose ttl ran out by {@code nowNanos}; returns whether any went. */
    public boolean expire(long nowNanos) {
        boolean changed = false;
        for (Iterator<Map.Entry<String, Entry>> it = players.entrySet().iterator(); it.hasNext(); ) {
            Entry e = it.next().getValue();
            if (e.joinExpiresNanos != Long.MIN_VALUE && e.joinExpiresNanos - nowNanos <= 0) {
                e.joinExpiresNanos = Long.MIN_VALUE;
                if (e.mdnsService == null) {
                    it.remove();
                }
                changed = true;
            }
        }
        if (changed) {
            version++;
        }
        return changed;
    }

    /** The players now, by name then address. */
    public List<DiscoveredPlayer> players() {
        List<DiscoveredPlayer> out = new ArrayList<>(players.size());
        for (Entry e : players.values()) {
            out.add(e.player);
        }
        out.sort(Comparator.comparing(DiscoveredPlayer::name).thenComparing(DiscoveredPlayer::address));
        return out;
    }

    /** Increases whenever the list of players changes (not on a mere refresh). */
    public long version() {
        return version;
    }

    /** Valid announces handled. */
    public long acceptedCount() {
        return accepted;
    }

    /** Players forgotten to make room for new ones. */
    public long evictedCount() {
        return evicted;
    }

    /** Datagrams rejected, by reason (a copy). */
    public Map<RejectReason, Long> rejectedCounts() {
        return new EnumMap<>(rejected);
    }

    private Outcome reject(RejectReason reason, String detail) {
        rejected.merge(reason, 1L, Long::sum);
        return new Outcome.Rejected(reason, detail);
    }

    private void makeRoom() {
        if (players.size() < MAX_PLAYERS) {
            return;
        }
        Iterator<Map.Entry<String, Entry>> it = players.entrySet().iterator();
        Entry oldest = it.next().getValue();
        it.remove();
        if (oldest.mdnsService != null) {
            mdnsServices.remove(oldest.mdnsService);
        }
        evicted++;
    }

    private static boolean sameAnnounce(DiscoveredPlayer a, DiscoveredPlayer b) {
        return a.via() == b.via() && a.name().equals(b.name()) && a.version().equals(b.version())
                && a.protocols().equals(b.protocols()) && a.generator().equals(b.generator())
                && a.voice().equals(b.voice());
    }

    private static String key(String host, int port) {
        return host + "|" + port;
    }
}
