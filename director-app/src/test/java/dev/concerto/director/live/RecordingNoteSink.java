package dev.concerto.director.live;

import java.util.ArrayList;
import java.util.List;

/** A {@link LiveNoteSink} that records what it is handed, and when (by the test's clock). */
final class RecordingNoteSink implements LiveNoteSink {

    record Sent(int player, double hz, long dueNanos, long handedAtNanos) {
    }

    final List<Sent> sent = new ArrayList<>();
    final List<String> names;
    final List<String> voices;
    final long[] leads;
    int silenceAll;
    long now;

    RecordingNoteSink(List<String> names, List<String> voices, long... leads) {
        this.names = names;
        this.voices = voices;
        this.leads = leads;
    }

    @Override
    public int playerCount() {
        return names.size();
    }

    @Override
    public String playerName(int player) {
        return names.get(player);
    }

    @Override
    public String playerVoice(int player) {
        return voices.get(player);
    }

    @Override
    public long leadNanos(int player) {
        return leads[player];
    }

    @Override
    public void sound(int player, double hz, long dueNanos) {
        sent.add(new Sent(player, hz, dueNanos, now));
    }

    @Override
    public void silenceAll() {
        silenceAll++;
    }
}
