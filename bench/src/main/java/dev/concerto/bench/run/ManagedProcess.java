package dev.concerto.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real Concerto process (a player, an ensemble, a director) started by a suite, with its
 * output in a log file. Closing it sends SIGTERM, waits, then kills: a suite never leaves a
 * process behind. Linux only for the /proc readings. Not thread-safe; owned by one suite.
 */
public final class ManagedProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java [jvmArgs] -jar jar args...} (or {@code -cp jar mainClass} when
     * {@code mainClass} is not null), stdout and stderr both to {@code log}.
     */
    public static ManagedProcess startJava(String name, Path jar, String mainClass, List<String> jvmArgs,
                                           List<String> args, Path log) throws IOException {
        return startJava(name, jar, mainClass, jvmArgs, args, log, java.util.Map.of());
    }

    /** Starts any command (not a JVM), stdout and stderr both to {@code log}, with extra environment variables. */
    public static ManagedProcess start(String name, List<String> cmd, Path log, java.util.Map<String, String> env)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new ManagedProcess(name, pb.start(), log);
    }

    /** As {@link #startJava(String, Path, String, List, List, Path)}, with extra environment variables. */
    public static ManagedProcess startJava(String name, Path jar, String mainClass, List<String> jvmArgs,
                                           List<String> args, Path log, java.util.Map<String, String> env)
            throws IOException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        if (mainClass == null) {
            cmd.add("-jar");
            cmd.add(jar.toString());
        } else {
            cmd.add("-cp");
            cmd.add(jar.toString());
            cmd.add(mainClass);
        }
        cmd.addAll(args);
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        return new ManagedProcess(name, p, log);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the log holds a line matching {@code pattern} and returns the match.
     *
     * @throws IOException if the process dies first or the time runs out; the message quotes the log's tail
     */
    public Matcher awaitLine(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before printing /" + pattern
                        + "/; log tail:\n" + tail(text));
            }
            Thread.sleep(20);
        }
        throw new IOException(name + " did not print /" + pattern + "/ within " + timeout + "; log tail:\n"
                + tail(Files.exists(log) ? Files.readString(log) : ""));
    }

    /** Waits for the process to end by itself; returns its exit code, or kills it after the timeout. */
    public int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IOException(name + " did not finish within " + timeout + "; log tail:\n" + tail(Files.readString(log)));
        }
        return process.exitValue();
    }

    /** The whole log so far. */
    public String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Resident set size in kB from /proc, or -1 when unavailable. */
    public long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** User plus system CPU time consumed so far, in milliseconds, or -1 when unavailable. */
    public long cpuMillis() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    /** SIGTERM now, without waiting: the caller times what follows; {@link #close()} still waits. */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM, up to 10 s for a clean exit (players finish their WAV then), then SIGKILL. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 15), lines.length));
    }
}
