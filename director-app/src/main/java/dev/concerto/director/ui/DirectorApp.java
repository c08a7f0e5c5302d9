package dev.concerto.director.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The JavaFX application, started by {@code ./concerto gui} through
 * {@link Application#launch(Class, String...)} (the jar's main class is the CLI). Parameters: an
 * optional score path, {@code --roster=FILE}, {@code --default-score=FILE} (where the launcher found
 * BWV 846), {@code --play=true} (start playing once loaded), {@code --key-file=FILE} (the shared
 * key of keyed players: the engine, the probe before Play, calibration and live input). The
 * backend (score loader, engine, local players) is found with {@link ServiceLoader}, so this
 * package depends only on the {@link DirectorBackend} interface and never on the classes that
 * open sockets.
 */
public final class DirectorApp extends Application {

    private DirectorBackend backend;
    private DirectorWindow window;

    @Override
    public void start(Stage stage) {
        backend = ServiceLoader.load(DirectorBackend.class).findFirst().orElseThrow(
                () -> new IllegalStateException("no DirectorBackend on the classpath (META-INF/services is missing)"));
        List<String> unnamed = getParameters().getUnnamed();
        Map<String, String> named = getParameters().getNamed();
        Path score = unnamed.isEmpty() ? null : Path.of(unnamed.get(0));
        Path roster = named.containsKey("roster") ? Path.of(named.get("roster")) : null;
        Path defaultScore = named.containsKey("default-score") ? Path.of(named.get("default-score"))
                : DefaultScore.locate(Path.of(""), null).orElse(null);
        boolean play = Boolean.parseBoolean(named.getOrDefault("play", "false"));
        if (named.containsKey("key-file")) {
            backend.useKey(readKey(Path.of(named.get("key-file"))));
        }
        window = DirectorWindow.open(stage, backend, SettingsStore.forUser(), score, roster, defaultScore, play,
                DiscoverySettings.fromNamed(named));
    }

    /** The shared key ({@code concerto gui --key-file}, checked there before the window opens). */
    private static dev.concerto.protocol.Authenticator readKey(Path file) {
        try {
            return new dev.concerto.protocol.Authenticator(java.nio.file.Files.readAllBytes(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the key file " + file, e);
        }
    }

    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
        if (backend != null) {
            backend.close();
        }
    }
}
