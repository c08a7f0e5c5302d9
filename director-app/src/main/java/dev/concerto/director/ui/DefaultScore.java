package dev.concerto.director.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the score the window opens first, BWV 846 ({@code scores/bwv846.json}): first in the
 * repository the code was built in (searching up from the jar or classes directory), then in the
 * working directory or its parents. The code's own repository comes first so that a stray
 * {@code scores/} folder above the user's working directory is never picked instead.
 */
public final class DefaultScore {

    /** Where the repository keeps it, relative to the repository root. */
    public static final Path RELATIVE = Path.of("scores", "bwv846.json");

    private DefaultScore() {
    }

    public static Optional<Path> locate(Path workingDirectory, Path codeLocation) {
        Optional<Path> found = codeLocation == null ? Optional.empty() : searchUp(codeLocation);
        return found.isPresent() ? found : searchUp(workingDirectory);
    }

    private static Optional<Path> searchUp(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
