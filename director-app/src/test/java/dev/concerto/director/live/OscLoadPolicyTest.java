package dev.concerto.director.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OscLoadPolicyTest {

    @TempDir
    Path dir;

    @Test
    void offUnlessAFolderIsGiven() {
        assertThatThrownBy(() -> OscLoadPolicy.disabled().resolve("a.json")).hasMessageContaining("--osc-load-dir");
    }

    @Test
    void onlyFilesInsideTheFolder() throws Exception {
        Path scores = Files.createDirectories(dir.resolve("scores"));
        Files.writeString(scores.resolve("a.json"), "{}");
        Files.writeString(dir.resolve("secret.json"), "{}");
        Files.createSymbolicLink(scores.resolve("link.json"), dir.resolve("secret.json"));
        OscLoadPolicy p = OscLoadPolicy.fromFolder(scores);
        assertThat(p.resolve("a.json")).isEqualTo(scores.resolve("a.json").toRealPath());
        assertThatThrownBy(() -> p.resolve("../secret.json")).hasMessageContaining("outside");
        assertThatThrownBy(() -> p.resolve("/etc/passwd")).hasMessageContaining("outside");
        assertThatThrownBy(() -> p.resolve("link.json")).as("a link out of the folder").hasMessageContaining("not a file inside");
        assertThatThrownBy(() -> p.resolve("missing.json")).hasMessageContaining("no file");
        assertThatThrownBy(() -> p.resolve(".")).hasMessageContaining("not a file");
    }
}
