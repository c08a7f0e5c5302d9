package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The shared synthesis paced in real time and discarded: a player with no sound card that still
 * keeps audio time (frame positions, tone events). {@code wavTap} optionally records it.
 */
public final class VirtualGenerator extends SingleOutputGenerator {

    private VirtualGenerator(SynthOutput output) {
        super(output);
    }

    public static VirtualGenerator open(SynthSettings settings, Path wavTap, Clock clock) throws IOException {
        return new VirtualGenerator(SynthOutput.virtual(settings, 1, wavTap, clock));
    }
}
