package dev.concerto.player.synth;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ToneListener} of each channel of an output (null = none). A listener that throws is
 * logged and does not stop the audio thread. Thread-safety: {@link #set} from any thread; the
 * notifications from the audio thread.
 */
final class ChannelListeners {

    private static final Logger LOG = LoggerFactory.getLogger(SynthOutput.class);

    private final AtomicReferenceArray<ToneListener> listeners;

    ChannelListeners(int channels) {
        this.listeners = new AtomicReferenceArray<>(channels);
    }

    void set(int channel, ToneListener listener) {
        listeners.set(channel, listener);
    }

    boolean has(int channel) {
        return listeners.get(channel) != null;
    }

    /** Channel {@code channel} changed to {@code hz} at {@code frame}, sounding at {@code soundEpochMicros}. */
    void applied(int channel, double hz, long frame, long soundEpochMicros, Object tag) {
        ToneListener l = listeners.get(channel);
        if (l != null) {
            try {
                l.toneApplied(hz, frame, soundEpochMicros, tag);
            } catch (RuntimeException e) {
                LOG.warn("tone listener failed: {}", e.toString());
            }
        }
    }

    /** The line was shifted by {@code shiftMs} (&gt; 0: audio skipped; &lt; 0: silence inserted); every channel hears it. */
    void corrected(double shiftMs) {
        for (int i = 0; i < listeners.length(); i++) {
            ToneListener l = listeners.get(i);
            if (l != null) {
                try {
                    l.lineCorrected(shiftMs);
                } catch (RuntimeException e) {
                    LOG.warn("tone listener failed: {}", e.toString());
                }
            }
        }
    }
}
