package dev.concerto.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Where the release module put dist/, and a way to run a command and keep its output. */
final class Dist {

    static final Path DIR = Path.of(System.getProperty("concerto.dist.dir", "../dist")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("concerto.version", "0.1.0-SNAPSHOT");

    private Dist() {
    }

    /** One finished command. */
    record Result(int exitCode, String output) {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Path.of(dir, tool).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
