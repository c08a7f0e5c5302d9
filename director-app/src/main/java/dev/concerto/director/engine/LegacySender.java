package dev.concerto.director.engine;

import dev.concerto.protocol.LegacyCodec;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Sends the plain-integer format ({@link LegacyCodec}) to one player over its {@link UdpLink}
 * (a non-blocking, connected channel: a player that is not listening is counted, never fatal; a
 * full send buffer drops a datagram instead of delaying the other players).
 *
 * <p>Thread-safe: sends are serialised on this object (uncontended on the scheduler thread).
 */
public final class LegacySender implements Sender {

    private final ResolvedPlayer player;
    private final UdpLink link;
    private final byte[] bytes = new byte[LegacyCodec.MAX_DATAGRAM_BYTES];
    /** Direct, so a send does not copy through a temporary native buffer (measurably faster). */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(LegacyCodec.MAX_DATAGRAM_BYTES);

    private LegacySender(ResolvedPlayer player, UdpLink link) {
        this.player = player;
        this.link = link;
    }

    /**
     * Opens a channel connected to the player. Connecting a UDP socket sends nothing.
     *
     * @throws IOException when no socket can be opened (out of file descriptors, no IPv6 stack)
     */
    public static LegacySender open(ResolvedPlayer player) throws IOException {
        return new LegacySender(player, UdpLink.open(player));
    }

    @Override
    public RosterEntry entry() {
        return player.entry();
    }

    @Override
    public String destination() {
        return player.destination();
    }

    @Override
    public synchronized boolean send(int hz) {
        return link.write(buffer, bytes, LegacyCodec.encode(hz, bytes, 0));
    }

    @Override
    public long unreachableCount() {
        return link.unreachableCount();
    }

    @Override
    public long droppedCount() {
        return link.droppedCount();
    }

    @Override
    public void close() {
        link.close();
    }

    @Override
    public String toString() {
        return "LegacySender[" + player.entry().name() + " -> " + destination() + "]";
    }
}
