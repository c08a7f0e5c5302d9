package dev.concerto.director.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the score the window opens first, BWV 846 ({@code scores/bwv846.json}): in the working
 * directory or any of its parents (so it works from the repository root, a module directory or a
 * worktree), else next to the jar's module directory.
 */
public final class DefaultScore {

    /** Where the repository keeps it, relative to the repository root. */
    public static final Path RELATIVE = Path.of("scores", "bwv846.json");

    private DefaultScore() {
    }

    public static Optional<Path> locate(Path workingDirectory, Path codeLocation) {
        Optional<Path> found = searchUp(workingDirectory);
        if (found.isEmpty() && codeLocation != null) {
            found = searchUp(codeLocation);
        }
        return found;
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
