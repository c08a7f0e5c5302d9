import java.io.BufferedWriter;
import java.io.FileWriter;
import java.io.PrintWriter;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.SourceDataLine;

/**
 * What a plain javax.sound line reports about its position, against what is heard: a SourceDataLine
 * (ALSA "default", so PulseAudio through libasound2-plugins' pulse plugin when a daemon runs) writes
 * 100 ms sine bursts every 250 ms (2 ms fade-in; the first 2 s after the start), in blocks of a
 * quarter of its buffer, and after every write logs {@code System.nanoTime()}, the line's
 * {@code getLongFramePosition()} and the frames written. Burst k starts at written frame
 * {@code 96000 + 12000 k}; with a recording of the sink's monitor, the heard onset of each burst can be
 * compared with the instant the reported positions predict for that frame. No Concerto code involved.
 *
 * <p>{@code java bench/tools/LinePositionTrace.java HZ SECONDS BUFFER_MS OUT.txt}; see
 * {@code line-position-trace.sh}, which runs two of them on the bench's sink and stops the sound
 * server and the players on purpose.
 */
public final class LinePositionTrace {
    public static void main(String[] args) throws Exception {
        double hz = Double.parseDouble(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int bufferMs = Integer.parseInt(args[2]);
        int rate = 48_000;
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        SourceDataLine line = AudioSystem.getSourceDataLine(format);
        line.open(format, rate * bufferMs / 1000 * 2);
        line.start();
        int block = Math.max(32, line.getBufferSize() / 2 / 4);
        byte[] bytes = new byte[block * 2];
        long written = 0;
        int period = 12_000;
        int on = 4_800;
        int ramp = 96;
        long first = 2L * rate;
        double phase = 0;
        try (PrintWriter out = new PrintWriter(new BufferedWriter(new FileWriter(args[3])))) {
            out.printf("# buffer %d block %d epochMicros %d nano %d%n", line.getBufferSize() / 2, block,
                    System.currentTimeMillis() * 1000, System.nanoTime());
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < seconds * 1_000_000_000L) {
                for (int i = 0; i < block; i++) {
                    long w = written + i;
                    double amp = 0;
                    if (w >= first && (w - first) % period < on) {
                        amp = Math.min(1.0, ((w - first) % period + 1) / (double) ramp);
                    }
                    short s = (short) (6000 * amp * Math.sin(phase));
                    phase += 2 * Math.PI * hz / rate;
                    bytes[2 * i] = (byte) s;
                    bytes[2 * i + 1] = (byte) (s >> 8);
                }
                line.write(bytes, 0, bytes.length);
                written += block;
                out.println(System.nanoTime() + " " + line.getLongFramePosition() + " " + written);
            }
        }
        line.drain();
        line.close();
    }
}
