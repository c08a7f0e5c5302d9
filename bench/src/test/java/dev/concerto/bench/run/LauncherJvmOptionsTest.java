package dev.concerto.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bench starts players and {@code play} with the JVM options the launcher gives them. */
class LauncherJvmOptionsTest {

    @Test
    void theBenchsProcessesRunAsTheLaunchersDo() throws Exception {
        String launcher = Files.readString(Path.of("..", "concerto"));
        assertThat(launcher).contains("player|ensemble) echo \"" + String.join(" ", LauncherJvmOptions.PLAYER) + "\" ;;");
        assertThat(launcher).contains("play) echo \"" + String.join(" ", LauncherJvmOptions.PLAY) + "\" ;;");
        assertThat(LauncherJvmOptions.player("96m")).containsExactly("-XX:+UseSerialGC", "-Xmx96m");
    }
}
