package dev.concerto.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bench starts its players with the JVM options the launcher gives {@code ./concerto player}. */
class PlayerJvmOptionsTest {

    @Test
    void theBenchsPlayersRunAsTheLaunchersDo() throws Exception {
        String launcher = Files.readString(Path.of("..", "concerto"));
        assertThat(launcher).contains("player|ensemble) echo \"" + String.join(" ", PlayerProcesses.JVM_OPTIONS) + "\" ;;");
        assertThat(PlayerProcesses.jvm("96m")).containsExactly("-XX:+UseSerialGC", "-Xmx96m");
    }
}
