package dev.concerto.bench.run;

import dev.concerto.bench.BenchContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Player processes on consecutive loopback ports, each recording to a real-time-paced WAV with an
 * events file, as the onset and footprint suites need them. Closing stops them all (SIGTERM, so
 * each finishes its WAV).
 */
public final class PlayerProcesses implements AutoCloseable {

    /** What a player prints once it is bound and ready. */
    public static final Pattern READY = Pattern.compile("listening on udp (\\S+)");


    private final List<ManagedProcess> processes = new ArrayList<>();
    private final List<String> names;
    private final int basePort;
    private final Path dir;

    private PlayerProcesses(List<String> names, int basePort, Path dir) {
        this.names = List.copyOf(names);
        this.basePort = basePort;
        this.dir = dir;
    }

    /**
     * Starts one player per name on 127.0.0.1, recording {@code NAME.wav} and {@code NAME.events.jsonl}
     * into {@code dir}, and waits until each is listening.
     */
    public static PlayerProcesses startRecording(BenchContext ctx, List<String> names, Path dir, List<String> extraArgs)
            throws IOException, InterruptedException {
        return startRecording(ctx, names, dir, i -> extraArgs);
    }

    /** As {@link #startRecording(BenchContext, List, Path, List)}, with options per player (by index). */
    public static PlayerProcesses startRecording(BenchContext ctx, List<String> names, Path dir,
                                                 java.util.function.IntFunction<List<String>> extraArgs)
            throws IOException, InterruptedException {
        Path jar = ctx.jar("player-node");
        PlayerProcesses players = new PlayerProcesses(names, LoopbackPorts.freeRange(names.size()), dir);
        try {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1:" + players.port(i), "--name", name,
                        "--synth", "wav", "--wav", players.wav(name).toString(),
                        "--events", players.events(name).toString()));
                args.addAll(extraArgs.apply(i));
                players.processes.add(ManagedProcess.startJava("player " + name, jar, null, LauncherJvmOptions.player("128m"), args,
                        dir.resolve(name + ".log")));
            }
            for (ManagedProcess p : players.processes) {
                p.awaitLine(READY, Duration.ofSeconds(90)); // generous: the bench shares the machine
            }
            return players;
        } catch (IOException | InterruptedException | RuntimeException e) {
            players.close();
            throw e;
        }
    }

    public int port(int index) {
        return basePort + index;
    }

    public List<String> names() {
        return names;
    }

    public List<ManagedProcess> processes() {
        return List.copyOf(processes);
    }

    public Path wav(String name) {
        return dir.resolve(name + ".wav");
    }

    public Path events(String name) {
        return dir.resolve(name + ".events.jsonl");
    }

    /**
     * A roster file in the director's format mapping each player's name to the voice of the same
     * name, every player with the given protocol ({@code legacy}, {@code timed}).
     */
    public Path writeRoster(Path file, String protocol) throws IOException {
        StringBuilder sb = new StringBuilder("{ \"players\": [\n");
        for (int i = 0; i < names.size(); i++) {
            sb.append(String.format("  {\"name\": \"%s\", \"host\": \"127.0.0.1\", \"port\": %d, \"protocol\": \"%s\", \"voice\": \"%s\"}%s%n",
                    names.get(i), port(i), protocol, names.get(i), i + 1 < names.size() ? "," : ""));
        }
        sb.append("] }\n");
        java.nio.file.Files.writeString(file, sb);
        return file;
    }

    @Override
    public void close() {
        processes.forEach(ManagedProcess::close);
    }
}
