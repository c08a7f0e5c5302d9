package dev.concerto.director.net;

import dev.concerto.director.engine.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.score.Scores;
import dev.concerto.director.score.Timeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code scores/bwv846-ting2017.json} played over UDP to four capture receivers standing in for
 * the ESP8266s: each receives exactly what seed 000's director sends to its host. The expected
 * sequences are derived here from the seed's logic, not from the score file.
 */
class SeedEquivalenceTest {

    /** BWV 846 mm. 1-32, chord tones a b c d e as MIDI numbers (shared/reference/bwv846.md). */
    private static final int[][] CHORDS_MIDI = {
            {60, 64, 67, 72, 76}, {60, 62, 69, 74, 77}, {59, 62, 67, 74, 77}, {60, 64, 67, 72, 76},
            {60, 64, 69, 76, 81}, {60, 62, 66, 69, 74}, {59, 62, 67, 74, 79}, {59, 60, 64, 67, 72},
            {57, 60, 64, 67, 72}, {50, 57, 62, 66, 72}, {55, 59, 62, 67, 71}, {55, 58, 64, 67, 73},
            {53, 57, 62, 69, 74}, {53, 56, 62, 65, 71}, {52, 55, 60, 67, 72}, {52, 53, 57, 60, 65},
            {50, 53, 57, 60, 65}, {43, 50, 55, 59, 65}, {48, 52, 55, 60, 64}, {48, 55, 58, 60, 64},
            {41, 53, 57, 60, 64}, {42, 48, 57, 60, 63}, {44, 53, 59, 60, 62}, {43, 53, 55, 59, 62},
            {43, 52, 55, 60, 64}, {43, 50, 55, 60, 65}, {43, 50, 55, 59, 65}, {43, 51, 57, 60, 66},
            {43, 52, 55, 60, 67}, {43, 50, 55, 60, 65}, {43, 50, 55, 59, 65}, {36, 48, 55, 58, 64},
    };

    /** The seed's tone table: {@code f=[round(55*2**(x/12)) for x in range(51)]}, indexed by MIDI - 33. */
    private static int f(int midi) {
        int x = midi - 33;
        return (int) Math.round(55 * Math.pow(2, x / 12.0));
    }

    /**
     * The seed's director: for each chord n, note(a)->HOST3, note(b)->HOST1, note(c d e c d e)->HOST2,
     * then stop(): 0 to HOST1..HOST4.
     */
    private static Map<String, List<Integer>> seedSends() {
        Map<String, List<Integer>> sends = new LinkedHashMap<>();
        for (String h : List.of("HOST1", "HOST2", "HOST3", "HOST4")) {
            sends.put(h, new ArrayList<>());
        }
        for (int[] chord : CHORDS_MIDI) {
            int a = chord[0];
            int b = chord[1];
            int c = chord[2];
            int d = chord[3];
            int e = chord[4];
            sends.get("HOST3").add(f(a));
            sends.get("HOST1").add(f(b));
            for (int m : new int[] {c, d, e, c, d, e}) {
                sends.get("HOST2").add(f(m));
            }
            for (String h : List.of("HOST1", "HOST2", "HOST3", "HOST4")) { // stop()
                sends.get(h).add(0);
            }
        }
        return sends;
    }

    @Test
    void eachCapturePlayerReceivesWhatTheSeedSendsToItsHost() throws Exception {
        Timeline timeline = Scores.loadTimeline(Path.of("..", "scores", "bwv846-ting2017.json"));
        Map<String, String> voiceOfHost = Map.of("HOST1", "tenor", "HOST2", "arpeggio", "HOST3", "bass", "HOST4", "host4");
        Map<String, CaptureReceiver> receivers = new LinkedHashMap<>();
        List<RosterEntry> entries = new ArrayList<>();
        try {
            for (String host : List.of("HOST1", "HOST2", "HOST3", "HOST4")) {
                CaptureReceiver r = new CaptureReceiver();
                receivers.put(host, r);
                entries.add(new RosterEntry(host, "127.0.0.1", r.port(), Protocol.LEGACY, voiceOfHost.get(host)));
            }
            Roster roster = new Roster("ting2017 capture roster", entries);
            Map<String, List<Integer>> expected = seedSends();
            // The engine's own end of piece: stop means silence, three more zeros to every player.
            expected.values().forEach(l -> l.addAll(List.of(0, 0, 0)));
            try (DirectorEngine engine = DirectorEngine.builder(timeline, roster)
                    .tempo(dev.concerto.director.score.TempoRange.MAX_BPM).shutdownHook(false).build()) {
                engine.play();
                assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0,
                        Duration.ofSeconds(60))).isTrue();
                for (String host : receivers.keySet()) {
                    int n = expected.get(host).size();
                    assertThat(receivers.get(host).await(r -> r.size() >= n, Duration.ofSeconds(20))).isTrue();
                    assertThat(receivers.get(host).received()).as(host).isEqualTo(expected.get(host));
                }
            }
            assertThat(expected.get("HOST2")).hasSize(32 * 7 + 3);
            assertThat(expected.get("HOST2").subList(0, 7)).containsExactly(392, 523, 659, 392, 523, 659, 0);
        } finally {
            receivers.values().forEach(CaptureReceiver::close);
        }
    }
}
