package dev.concerto.director.live;

import java.util.List;
import java.util.Objects;

/**
 * The {@link VoiceAllocator}'s policy: which players may take a key ({@link AllocationPolicy}: any,
 * by range, by MIDI channel), which free one takes it (the lowest, or round-robin after the last one
 * chosen), and whose note is stolen when none is free (the oldest, a pedal-held one first). It reads
 * the {@link PlayerSlots} and changes nothing in them.
 *
 * <p>Not thread-safe: owned by one allocator.
 */
final class PlayerChoice {

    private final List<LiveVoice> voices;
    private final AllocationPolicy policy;
    private int lastPlayer = -1;

    PlayerChoice(List<LiveVoice> voices, AllocationPolicy policy) {
        this.voices = List.copyOf(voices);
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Whether player {@code p} may take key {@code k} of {@code channel0}. */
    boolean eligible(int p, int channel0, int k) {
        LiveVoice v = voices.get(p);
        return switch (policy) {
            case BY_RANGE -> v.takesKey(k);
            case BY_CHANNEL -> v.takesChannel(channel0);
            default -> true;
        };
    }

    /** Whether any player may take the key (else it is out of range for this roster). */
    boolean anyEligible(int channel0, int k) {
        for (int p = 0; p < voices.size(); p++) {
            if (eligible(p, channel0, k)) {
                return true;
            }
        }
        return false;
    }

    /** The free eligible player the policy picks, or -1 when every eligible one sounds. */
    int free(PlayerSlots slots, int channel0, int k) {
        int n = slots.size();
        int start = policy == AllocationPolicy.ROUND_ROBIN ? lastPlayer + 1 : 0;
        for (int i = 0; i < n; i++) {
            int p = Math.floorMod(start + i, n);
            if (!slots.sounding(p) && eligible(p, channel0, k)) {
                return p;
            }
        }
        return -1;
    }

    /** The eligible player with the oldest note, preferring notes already released (pedal-held). */
    int oldest(PlayerSlots slots, int channel0, int k) {
        int best = -1;
        for (int p = 0; p < slots.size(); p++) {
            if (!eligible(p, channel0, k)) {
                continue;
            }
            if (best < 0 || (slots.released(p) && !slots.released(best))
                    || (slots.released(p) == slots.released(best) && slots.age(p) < slots.age(best))) {
                best = p;
            }
        }
        return best;
    }

    /** A new note went to player {@code p} (round-robin goes on after it). */
    void took(int p) {
        lastPlayer = p;
    }
}
