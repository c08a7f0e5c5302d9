package dev.concerto.director.ui;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@link Settings} as JSON in the user's config directory:
 * {@code -Dconcerto.config.dir}, else {@code $XDG_CONFIG_HOME/concerto}, else
 * {@code ~/.config/concerto}. A missing or unreadable file gives the defaults (with a warning),
 * never an error. Writes go to a temporary file first, so a crash never leaves half a file.
 */
public final class SettingsStore {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);

    private final Path file;
    private final ObjectMapper json = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public SettingsStore(Path directory) {
        this.file = directory.resolve("settings.json");
    }

    /** The store in the user's config directory. */
    public static SettingsStore forUser() {
        return new SettingsStore(configDirectory(System.getProperty("concerto.config.dir"), System.getenv(),
                Path.of(System.getProperty("user.home"))));
    }

    static Path configDirectory(String override, Map<String, String> env, Path home) {
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "concerto");
        }
        return home.resolve(".config").resolve("concerto");
    }

    public Path file() {
        return file;
    }

    public Settings load() {
        if (!Files.exists(file)) {
            return Settings.defaults();
        }
        try {
            Settings s = json.readValue(file.toFile(), Settings.class);
            return s == null ? Settings.defaults() : s;
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable settings {} ({}); starting with defaults", file, e.getMessage());
            return Settings.defaults();
        }
    }

    /** Saves; a failure is logged (settings are a convenience, not worth a dialog). Thread-safe. */
    public synchronized void save(Settings settings) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            json.writeValue(tmp.toFile(), settings);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Could not save settings to {}: {}", file, e.getMessage());
        }
    }
}
