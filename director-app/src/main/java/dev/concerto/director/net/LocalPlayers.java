package dev.concerto.director.net;

import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.score.Timeline;
import dev.concerto.player.Ensemble;
import dev.concerto.player.synth.SynthOutput;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Players embedded in the director's process: an {@link Ensemble} of one player per voice of a
 * timeline, on 127.0.0.1 ephemeral ports (real UDP on loopback), spoken to with the timed
 * protocol ({@value #PROTOCOL}), mixed into one audio output
 * (the sound card when Java has a line for it, a virtual clock-paced output otherwise), and the
 * roster that reaches them. Closing it closes the players and the output.
 *
 * <pre>{@code
 * try (LocalPlayers local = LocalPlayers.start(timeline);
 *      DirectorEngine engine = DirectorEngine.open(timeline, local.roster())) {
 *     engine.play();
 *     ...
 * }
 * }</pre>
 */
public final class LocalPlayers implements AutoCloseable {

    /** Local players speak the timed protocol: sounded at their exact audio frame, in step. */
    public static final Protocol PROTOCOL = Protocol.TIMED;

    private final Ensemble ensemble;
    private final Roster roster;

    private LocalPlayers(Ensemble ensemble, Roster roster) {
        this.ensemble = ensemble;
        this.roster = roster;
    }

    /**
     * Starts one local player per voice of the timeline (optional voices included) on the default
     * output.
     *
     * @throws IOException when a player cannot bind or the output cannot open
     */
    public static LocalPlayers start(Timeline timeline) throws IOException {
        return wrap(timeline, Ensemble.startLocal(voiceCount(timeline)));
    }

    /**
     * As {@link #start(Timeline)}, the players holding the timed protocol's shared key (so that a
     * director signing with {@code --key-file} is understood), or none when {@code auth} is null.
     */
    public static LocalPlayers start(Timeline timeline, dev.concerto.protocol.Authenticator auth) throws IOException {
        int n = voiceCount(timeline);
        SynthOutput out = SynthOutput.auto(dev.concerto.player.synth.SynthSettings.defaults(), n, null,
                w -> org.slf4j.LoggerFactory.getLogger(LocalPlayers.class).warn("{}", w));
        return wrap(timeline, Ensemble.start(Ensemble.Config.loopback(n).withAuth(auth), out));
    }

    /** As {@link #start(Timeline)}, sounding through {@code output} (which the players then own). */
    public static LocalPlayers start(Timeline timeline, SynthOutput output) throws IOException {
        return wrap(timeline, Ensemble.startLocal(voiceCount(timeline), output));
    }

    private static int voiceCount(Timeline timeline) {
        int n = Objects.requireNonNull(timeline, "timeline").voices().size();
        if (n == 0) {
            throw new IllegalArgumentException("'" + timeline.title() + "' has no voices");
        }
        return n;
    }

    private static LocalPlayers wrap(Timeline timeline, Ensemble ensemble) {
        List<InetSocketAddress> addresses = ensemble.addresses();
        List<RosterEntry> entries = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            String voice = timeline.voices().get(i).name();
            InetSocketAddress a = addresses.get(i);
            entries.add(new RosterEntry(voice, a.getAddress().getHostAddress(), a.getPort(), PROTOCOL, voice));
        }
        return new LocalPlayers(ensemble, new Roster("local players", entries));
    }

    /** One entry per voice, named after it, at its player's loopback address. */
    public Roster roster() {
        return roster;
    }

    /** The players themselves (counters, current tone). */
    public Ensemble ensemble() {
        return ensemble;
    }

    /** What the players sound through ("javasound ...", "virtual ..."). */
    public String outputDescription() {
        return ensemble.outputDescription();
    }

    /** Closes every player (silencing it) and the output. Idempotent. */
    @Override
    public void close() {
        ensemble.close();
    }
}
