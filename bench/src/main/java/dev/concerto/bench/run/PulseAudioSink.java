package dev.concerto.bench.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PulseAudio daemon with a null sink ({@code vsink}) that consumes audio in real time
 * (its monitor is the default source, so a capture line records what was played),
 * so a javax.sound line (ALSA "default", routed to Pulse by libasound2-plugins) blocks as on a
 * laptop. Its runtime directory is private to this run; {@link #env()} gives the variables a child
 * process needs to reach it. {@link #close()} stops the daemon by its PID (SIGTERM, then SIGKILL)
 * and removes the directory. Linux only. Not thread-safe; owned by one suite.
 */
public final class PulseAudioSink implements AutoCloseable {

    /** The daemon's main thread's {@code SCHED_RR} priority ({@link #realtimeMainThread}). */
    static final int MAIN_THREAD_PRIORITY = 4;

    /** The Debian packages the recipe needs. */
    public static final List<String> PACKAGES = List.of("pulseaudio", "pulseaudio-utils", "libasound2-plugins");

    /**
     * The null sink without rewinds. With rewinds (PulseAudio 16's default), a client's underrun on a
     * loaded machine is followed by an "end of underrun" rewind after which the sink renders nothing
     * for about 2 s (its maximum block): every javax.sound line on it stalls for 2 s, again and
     * again (reproduced with bench/tools/LineRate.java; see bench/docs/listen.md). Without rewinds
     * an underrun costs the stream tens of milliseconds, which the players correct.
     */
    static final String NULL_SINK_NO_REWINDS = "norewinds=1";

    private final Path runtimeDir;
    private final long pid;
    private final Map<String, String> env;
    /** Stops the daemon (not a child process: it daemonized) if the JVM exits before {@link #close()}. */
    private final Thread onExit;

    private PulseAudioSink(Path runtimeDir, long pid, Map<String, String> env) {
        this.runtimeDir = runtimeDir;
        this.pid = pid;
        this.env = env;
        this.onExit = new Thread(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy), "bench-stop-pulseaudio");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * Installs the packages with apt-get when {@code pulseaudio} or {@code pactl} is missing.
     *
     * @throws IOException when they are missing and cannot be installed (not root, no network);
     *                     the message says what to run
     */
    public static void ensureInstalled(PrintStream log, Path logFile) throws IOException, InterruptedException {
        if (Files.isExecutable(Path.of("/usr/bin/pulseaudio")) && Files.isExecutable(Path.of("/usr/bin/pactl"))
                && alsaPulsePluginPresent()) {
            return;
        }
        String manual = "install them with: sudo apt-get install " + String.join(" ", PACKAGES);
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IOException("PulseAudio is not installed and this is not root; " + manual);
        }
        log.println("   installing " + String.join(" ", PACKAGES) + " with apt-get ...");
        List<String> cmd = new java.util.ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        cmd.addAll(PACKAGES);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("apt-get did not finish in 5 minutes; see " + logFile + "; " + manual);
        }
        if (p.exitValue() != 0) {
            throw new IOException("apt-get failed (" + p.exitValue() + "); see " + logFile + "; " + manual);
        }
    }

    /** libasound2-plugins' PCM plugin that routes ALSA "default" to Pulse, in any multiarch directory. */
    private static boolean alsaPulsePluginPresent() throws IOException {
        try (Stream<Path> files = Files.find(Path.of("/usr/lib"), 3,
                (p, a) -> p.getFileName().toString().equals("libasound_module_pcm_pulse.so"))) {
            return files.findAny().isPresent();
        }
    }

    /**
     * Starts the daemon with a null sink at {@code sampleRate} and makes it the default sink.
     *
     * @param logFile the daemon's and pactl's output
     */
    public static PulseAudioSink start(int sampleRate, Path logFile) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "concerto-pulse-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", dir.toString(), "HOME", dir.toString(),
                "PULSE_SERVER", "unix:" + dir.resolve("pulse/native"));
        run(env, logFile, "pulseaudio", "-n", "--daemonize=yes", "--exit-idle-time=-1", "--log-target=stderr",
                "-L", "module-native-protocol-unix",
                "-L", "module-null-sink sink_name=vsink rate=" + sampleRate + " " + NULL_SINK_NO_REWINDS);
        Path pidFile = dir.resolve("pulse/pid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!Files.exists(pidFile)) {
            deleteTree(dir);
            throw new IOException("pulseaudio did not start (no " + pidFile + "); see " + logFile);
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        PulseAudioSink sink = new PulseAudioSink(dir, pid, env);
        shareAutogroupNice(pid, logFile);
        realtimeMainThread(pid, logFile);
        try {
            run(env, logFile, "pactl", "set-default-sink", "vsink");
            // The "microphone" (ALSA's default capture) hears what the sink plays: for calibration.
            run(env, logFile, "pactl", "set-default-source", "vsink.monitor");
        } catch (IOException | RuntimeException e) {
            sink.close();
            throw e;
        }
        return sink;
    }

    /**
     * Gives the daemon the scheduling weight of the caller's session. Daemonizing made it a session
     * of its own, and with {@code sched_autogroup} each session is scheduled as one group: left at
     * nice 0 while the measurement runs in a session raised to autogroup nice -10, the sink's thread
     * got about a tenth of a core whenever the players and the director were busy, every line on
     * the sink stalled at the same instant and each player skipped audio to catch up. Best effort:
     * without autogroups nothing changes; when setting it fails, the daemon's log says why.
     */
    private static void shareAutogroupNice(long pid, Path logFile) {
        Path own = Path.of("/proc/self/autogroup");
        Path daemon = Path.of("/proc/" + pid + "/autogroup");
        if (!Files.exists(own) || !Files.exists(daemon)) {
            return;
        }
        try {
            // "/autogroup-121 nice -10"
            String nice = Files.readString(own).trim().replaceAll(".*nice\\s+", "");
            Files.writeString(daemon, nice);
            appendLog(logFile, "pulseaudio (pid " + pid + ") set to autogroup nice " + nice + ", the bench's own");
        } catch (IOException | RuntimeException e) {
            appendLog(logFile, "could not give pulseaudio the bench's autogroup nice: " + e);
        }
    }

    /**
     * The daemon's main thread's real-time priority, {@code SCHED_RR} {@value #MAIN_THREAD_PRIORITY}:
     * above the players' audio writers (3), below the daemon's own sink thread (5, which it takes
     * itself). That thread receives every client's audio and hands it to the sink. Left at normal
     * priority on the 2-core bench machine, it waited for a core up to 80 ms in any 200 ms while four
     * players, the director and the recorder ran: longer than the sink holds of each stream (20 ms).
     * A desktop's sound server has cores to itself; here the players, whose writers run real-time,
     * share two with it. (Stalls of every line at once that come from the host taking the VM's CPUs
     * away are not helped: bench/docs/final-2026-12-03.) Best effort with {@code chrt} (util-linux):
     * when it fails, the daemon's log says why and the run goes on.
     */
    private static void realtimeMainThread(long pid, Path logFile) {
        String priority = "SCHED_RR " + MAIN_THREAD_PRIORITY;
        try {
            run(Map.of(), logFile, "chrt", "--rr", "-p", Integer.toString(MAIN_THREAD_PRIORITY), Long.toString(pid));
            appendLog(logFile, "pulseaudio (pid " + pid + ") main thread set to " + priority);
        } catch (IOException e) {
            appendLog(logFile, "could not give pulseaudio's main thread " + priority + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds a line of the bench's own to the daemon's log (only read afterwards: a failure is ignored). */
    private static void appendLog(Path logFile, String line) {
        try {
            Files.writeString(logFile, "concerto bench: " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the log is only for reading afterwards
        }
    }

    /** Environment variables that point a child process (its ALSA "default") at this daemon. */
    public Map<String, String> env() {
        return env;
    }

    public long pid() {
        return pid;
    }

    private static void run(Map<String, String> env, Path logFile, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish in 20 s; see " + logFile);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): "
                    + Files.readString(logFile, StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElse(""));
        }
    }

    /** Stops the daemon by its PID and removes its runtime directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException exiting) {
            // the hook is running or about to: it stops the daemon
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        try {
            deleteTree(runtimeDir);
        } catch (IOException e) {
            // a leftover directory in /tmp is harmless
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
