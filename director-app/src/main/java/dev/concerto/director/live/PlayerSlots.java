package dev.concerto.director.live;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The {@link VoiceAllocator}'s bookkeeping: what each monophonic player holds — its key and channel
 * (-1 when silent), the frequency it sounds, when it was struck (an age, for stealing the oldest) and
 * whether its key was released while the pedal holds it. No policy: which player takes a note is
 * {@link PlayerChoice}'s job.
 *
 * <p>Not thread-safe: owned by one allocator.
 */
final class PlayerSlots {

    private final int[] key;
    private final int[] channel;
    private final long[] age;
    private final boolean[] released;
    private final double[] hz;
    private long nextAge;

    PlayerSlots(int players) {
        key = new int[players];
        channel = new int[players];
        age = new long[players];
        released = new boolean[players];
        hz = new double[players];
        Arrays.fill(key, -1);
        Arrays.fill(channel, -1);
    }

    int size() {
        return key.length;
    }

    boolean sounding(int p) {
        return key[p] >= 0;
    }

    /** The key player {@code p} sounds, -1 when silent. */
    int key(int p) {
        return key[p];
    }

    /** The channel of player {@code p}'s key (0..15), -1 when silent. */
    int channel(int p) {
        return channel[p];
    }

    double hz(int p) {
        return hz[p];
    }

    /** Whether player {@code p}'s key was released and the pedal holds it. */
    boolean released(int p) {
        return released[p];
    }

    /** When player {@code p} was struck: larger is later. */
    long age(int p) {
        return age[p];
    }

    /** Player {@code p} sounds key {@code k} of {@code channel0} at {@code f} Hz from now (the youngest note). */
    VoiceChange strike(int p, int channel0, int k, double f) {
        key[p] = k;
        channel[p] = channel0;
        age[p] = nextAge++;
        released[p] = false;
        hz[p] = f;
        return new VoiceChange(p, f, k, channel0);
    }

    /** Player {@code p} goes silent. */
    VoiceChange silence(int p) {
        key[p] = -1;
        channel[p] = -1;
        released[p] = false;
        hz[p] = 0;
        return VoiceChange.silence(p);
    }

    /** Player {@code p} keeps its key at another frequency (bend, tuning). */
    VoiceChange retune(int p, double f) {
        hz[p] = f;
        return new VoiceChange(p, f, key[p], channel[p]);
    }

    /** Player {@code p}'s key was released while the pedal is down: it sounds on, marked. */
    void release(int p) {
        released[p] = true;
    }

    /** The player sounding key {@code k} of {@code channel0}, or -1. */
    int find(int channel0, int k) {
        for (int p = 0; p < key.length; p++) {
            if (key[p] == k && channel[p] == channel0) {
                return p;
            }
        }
        return -1;
    }

    int soundingCount() {
        int n = 0;
        for (int k : key) {
            n += k >= 0 ? 1 : 0;
        }
        return n;
    }

    List<VoiceAllocator.Held> held() {
        List<VoiceAllocator.Held> out = new ArrayList<>(key.length);
        for (int p = 0; p < key.length; p++) {
            out.add(new VoiceAllocator.Held(p, key[p], channel[p], hz[p], released[p]));
        }
        return out;
    }

    /**
     * Whether the slots are self-consistent: no key sounds on two players, a silent player has no
     * frequency, a sounding one has a channel and a frequency, only pedal-held notes are released.
     *
     * @param pedalDown whether the sustain pedal of a channel (0..15) is down
     */
    boolean consistent(IntPredicate pedalDown) {
        for (int p = 0; p < key.length; p++) {
            if (key[p] < 0) {
                if (hz[p] != 0 || channel[p] != -1 || released[p]) {
                    return false;
                }
                continue;
            }
            if (hz[p] <= 0 || channel[p] < 0 || (released[p] && !pedalDown.test(channel[p]))) {
                return false;
            }
            for (int q = p + 1; q < key.length; q++) {
                if (key[q] == key[p] && channel[q] == channel[p]) {
                    return false;
                }
            }
        }
        return true;
    }
}
