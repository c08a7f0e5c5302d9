package dev.concerto.player.core;

/**
 * What a {@link PlayerCore} asks its shell to do while it handles one input. Called synchronously
 * on the thread that called the core, in order; implementations just carry the effect out (or, in
 * tests, record it).
 */
public interface PlayerEffects {

    /** Have the generator sound {@code change} at its frame (the change is the tag of its callback). */
    void sound(ToneChange change);

    /** Withdraw {@code change} if the generator has not applied it yet. */
    void withdraw(ToneChange change);

    /** Send {@code datagram} to the source of the datagram being handled, from the player's socket. */
    void reply(byte[] datagram);

    /** Record {@code event} in the events file, if there is one. */
    void event(PlayerEvent event);
}
