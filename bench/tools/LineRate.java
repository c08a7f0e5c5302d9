import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.SourceDataLine;

/**
 * The smallest reproduction of a stalling javax.sound line: a plain SourceDataLine (ALSA "default",
 * so PulseAudio through libasound2-plugins' pulse plugin when a daemon runs) fed a 500 Hz sine for N
 * seconds, printing once a second the frames the line played and accepted per second, the frames
 * queued and the longest single write() (a stall shows as played/s far below the rate and a write
 * blocked for as long as the stall). No Concerto code involved.
 *
 * <p>Run it with {@code java bench/tools/LineRate.java [bufferMs] [seconds]}, or through
 * {@code bench/tools/line-rate.sh}, which starts a private PulseAudio daemon with a null sink first.
 */
public final class LineRate {
    public static void main(String[] args) throws Exception {
        int rate = 48_000;
        int bufferMs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        SourceDataLine line = AudioSystem.getSourceDataLine(format);
        line.open(format, rate * bufferMs / 1000 * 2);
        line.start();
        int block = Math.max(32, line.getBufferSize() / 2 / 4);
        byte[] bytes = new byte[block * 2];
        double phase = 0;
        long written = 0;
        long t0 = System.nanoTime();
        long lastT = t0;
        long lastPlayed = 0;
        long lastWritten = 0;
        long longestWrite = 0;
        int stalls = 0;
        System.out.printf("buffer %d frames, block %d frames, %d Hz%n", line.getBufferSize() / 2, block, rate);
        while (System.nanoTime() - t0 < seconds * 1_000_000_000L) {
            for (int i = 0; i < block; i++) {
                short s = (short) (8000 * Math.sin(phase));
                phase += 2 * Math.PI * 500 / rate;
                bytes[2 * i] = (byte) s;
                bytes[2 * i + 1] = (byte) (s >> 8);
            }
            long w0 = System.nanoTime();
            for (int off = 0; off < bytes.length; ) {
                off += line.write(bytes, off, bytes.length - off);
            }
            long took = System.nanoTime() - w0;
            longestWrite = Math.max(longestWrite, took);
            if (took > 200_000_000L) {
                stalls++;
            }
            written += block;
            long now = System.nanoTime();
            if (now - lastT >= 1_000_000_000L) {
                long played = line.getLongFramePosition();
                double dt = (now - lastT) / 1e9;
                System.out.printf("t=%5.1f s  played/s=%6.0f  written/s=%6.0f  queued=%5d  longest write=%7.1f ms%n",
                        (now - t0) / 1e9, (played - lastPlayed) / dt, (written - lastWritten) / dt,
                        written - played, longestWrite / 1e6);
                lastT = now;
                lastPlayed = played;
                lastWritten = written;
                longestWrite = 0;
            }
        }
        System.out.printf("writes blocked > 200 ms: %d in %d s%n", stalls, seconds);
        line.drain();
        line.close();
    }
}
