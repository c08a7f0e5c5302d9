package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.audio.WavFile;
import dev.concerto.bench.run.HostStalls;
import dev.concerto.bench.run.LoopbackPorts;
import dev.concerto.bench.run.LauncherJvmOptions;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import dev.concerto.bench.run.PulseAudioSink;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code listen} run: player processes on real javax.sound lines ({@code --synth javasound
 * --waveform sine}, player i in band {@link ListenScores#BANDS}[i]) into the private sink, the
 * director playing a score to them over loopback, {@code parecord} recording the sink's monitor;
 * then the recording analysed ({@link ListenAnalysis}). Every process is stopped by its handle when
 * the run ends. Not thread-safe; one run at a time per sink.
 */
public final class ListenRecording {

    /** The sample rate of the sink, the players and the recording. */
    static final int RATE = 48_000;

    /** How long the players get after the recorder joined the sink before the director starts, ms. */
    static final long RECORDER_SETTLE_MILLIS = 2500;

    private ListenRecording() {
    }

    /**
     * Plays {@code score} on the first {@code players} voices' players into the sink, records the
     * monitor and analyses the recording. {@code firstPlayerArgs} go to the first player only (a
     * simulated stall, say). {@code protocol} is the roster's: "timed" or "legacy" (plain integer).
     */
    public static ListenAnalysis.Run record(BenchContext ctx, PulseAudioSink pulse, Path score, String protocol,
                                            String label, int players, List<String> firstPlayerArgs) throws Exception {
        return record(ctx, pulse, score, protocol, label, players, firstPlayerArgs, null);
    }

    /**
     * As {@link #record(BenchContext, PulseAudioSink, Path, String, String, int, List)}, with every
     * process of the run (the sound server, the players, the recorder, the director) stopped together
     * by {@code hostStalls} from the recorder's start to the director's end (null: never), as a busy
     * host stops them; the stalls as they happened go to {@code host-stalls.txt} in the run's directory.
     */
    public static ListenAnalysis.Run record(BenchContext ctx, PulseAudioSink pulse, Path score, String protocol,
                                            String label, int players, List<String> firstPlayerArgs,
                                            HostStalls.Plan hostStalls) throws Exception {
        Path dir = ctx.file(directory(label) + "/x").getParent();
        List<String> voices = ListenScores.VOICES.subList(0, players);
        int base = LoopbackPorts.freeRange(voices.size());
        List<ManagedProcess> processes = new ArrayList<>();
        Path recording = dir.resolve("recording.wav");
        Path directorEvents = dir.resolve("director.events.jsonl");
        long recordingStartMicros;
        try {
            for (int i = 0; i < voices.size(); i++) {
                List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1:" + (base + i), "--name", voices.get(i),
                        "--synth", "javasound", "--waveform", "sine", "--volume", "0.2", "--watchdog", "0",
                        "--events", dir.resolve(voices.get(i) + ".events.jsonl").toString()));
                if (i == 0) {
                    args.addAll(firstPlayerArgs);
                }
                processes.add(ManagedProcess.startJava("player " + voices.get(i), ctx.jar("player-node"), null,
                        LauncherJvmOptions.player("128m"), args, dir.resolve(voices.get(i) + ".log"), pulse.env()));
            }
            for (ManagedProcess p : processes) {
                p.awaitLine(PlayerProcesses.READY, Duration.ofSeconds(30));
            }
            Path roster = dir.resolve("roster.json");
            StringBuilder sb = new StringBuilder("{ \"players\": [\n");
            for (int i = 0; i < voices.size(); i++) {
                sb.append(String.format(Locale.ROOT,
                        "  {\"name\": \"%s\", \"host\": \"127.0.0.1\", \"port\": %d, \"protocol\": \"%s\", \"voice\": \"%s\"}%s%n",
                        voices.get(i), base + i, protocol, voices.get(i), i + 1 < voices.size() ? "," : ""));
            }
            Files.writeString(roster, sb.append("] }\n"));
            recordingStartMicros = Clock.SYSTEM.epochMicros();
            try (ManagedProcess recorder = ManagedProcess.start("parecord",
                    List.of("parecord", "-d", "vsink.monitor", "--file-format=wav", "--rate=" + RATE, "--channels=1",
                            "--format=s16le", recording.toString()),
                    dir.resolve("parecord.log"), pulse.env());
                 HostStalls stalls = hostStalls == null ? null
                         : HostStalls.start(hostStalls, everyPid(pulse, processes, recorder))) {
                // A recorder joining the sink's monitor stalls every stream on it once (PulseAudio reconfigures
                // the sink's latency: 280-470 ms, all players at once, corrected by each about 0.2 s later);
                // the piece starts after that, as it would in a hall where the microphone was already on.
                Thread.sleep(RECORDER_SETTLE_MILLIS);
                try (ManagedProcess director = ManagedProcess.startJava("director", ctx.jar("director-app"), null,
                        LauncherJvmOptions.PLAY, List.of("play", score.toString(), "--roster", roster.toString(),
                                "--events", directorEvents.toString()), dir.resolve("director.log"))) {
                    if (stalls != null) {
                        stalls.add(director.pid());
                    }
                    int rc = director.awaitExit(Duration.ofMinutes(3));
                    if (stalls != null) {
                        stalls.close();
                        writeStalls(dir.resolve("host-stalls.txt"), stalls.stalls());
                    }
                    if (rc != 0) {
                        throw new IOException("director exited with " + rc + "; see " + director.log());
                    }
                }
                Thread.sleep(500);
            }
        } finally {
            processes.forEach(ManagedProcess::close);
        }
        return ListenAnalysis.analyse(label, protocol, WavFile.read(recording), recordingStartMicros, directorEvents,
                dir, voices);
    }

    /** A run's folder under the bench's output, e.g. "listen/timed-stalled" for "timed stalled". */
    static String directory(String label) {
        return "listen/" + label.replace(' ', '-');
    }

    private static List<Long> everyPid(PulseAudioSink pulse, List<ManagedProcess> players, ManagedProcess recorder) {
        List<Long> pids = new ArrayList<>(List.of(pulse.pid()));
        pids.add(recorder.pid());
        players.forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /** One line per stall: start and end (epoch µs), processes stopped. */
    private static void writeStalls(Path file, List<HostStalls.Stall> stalls) throws IOException {
        StringBuilder b = new StringBuilder("# start_us end_us processes\n");
        for (HostStalls.Stall s : stalls) {
            b.append(s.startMicros()).append(' ').append(s.endMicros()).append(' ').append(s.processes()).append('\n');
        }
        Files.writeString(file, b);
    }
}
