package dev.concerto.director.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Real player processes ({@code PlayerMain}, each its own JVM) on 127.0.0.1 for end-to-end tests. */
final class PlayerProcesses implements AutoCloseable {

    final List<Process> processes = new ArrayList<>();
    final List<Integer> ports = new ArrayList<>();
    private final Path dir;

    PlayerProcesses(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code n} players writing WAVs and events files into the directory; waits for their ports. */
    PlayerProcesses start(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), "dev.concerto.player.cli.PlayerMain",
                    "--bind", "127.0.0.1:0", "--name", "p" + i, "--synth", "wav", "--wav", dir.resolve("p" + i + ".wav").toString(),
                    "--events", events(i).toString());
            processes.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start());
        }
        for (int i = 0; i < n; i++) {
            ports.add(awaitPort(processes.get(i), "p" + i));
        }
        return this;
    }

    Path events(int i) {
        return dir.resolve("p" + i + ".jsonl");
    }

    /** SIGTERM to every player (each finishes its files) and waits for them. */
    void stop() throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("a player did not stop within 20 s");
            }
        }
    }

    /** The frequencies (whole Hz) of every tone a player applied, in order, 0 for silence. */
    List<Long> tones(int i) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Long> out = new ArrayList<>();
        for (String line : Files.readAllLines(events(i))) {
            JsonNode n = json.readTree(line);
            if ("tone".equals(n.path("event").asText())) {
                out.add(Math.round(n.path("hz").asDouble()));
            }
        }
        return out;
    }

    /**
     * Polls {@code condition} every 50 ms until it holds or {@code timeout} passed (the caller's
     * assertions then say what is missing); a condition that throws (a file not there yet, a line
     * still being written) counts as not yet.
     */
    static void waitUntil(Duration timeout, Callable<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception e) {
                // not yet
            }
            Thread.sleep(50);
        }
    }

    /** Reads a player's start line ("listening on udp 127.0.0.1:PORT ") within 60 s, then drains its output. */
    static int awaitPort(Process p, String name) throws Exception {
        Pattern listening = Pattern.compile("listening on udp 127\\.0\\.0\\.1:(\\d+) ");
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            String line = r.readLine();
            if (line == null) {
                break;
            }
            seen.append(line).append('\n');
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (r.readLine() != null) {
                            // keep the pipe from filling
                        }
                    } catch (java.io.IOException ignored) {
                        // the process ended
                    }
                }, "drain-" + name);
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("player " + name + " did not start: " + seen);
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}
