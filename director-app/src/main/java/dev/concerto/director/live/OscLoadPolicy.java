package dev.concerto.director.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether {@code /concerto/load} may load a file, and which: off unless a folder is configured,
 * and then only a regular file inside that folder (after resolving {@code ..} and symbolic links).
 * Immutable; thread-safe.
 */
public final class OscLoadPolicy {

    private final Path folder;

    private OscLoadPolicy(Path folder) {
        this.folder = folder;
    }

    /** Loading over OSC refused. */
    public static OscLoadPolicy disabled() {
        return new OscLoadPolicy(null);
    }

    /**
     * Loading only from this folder.
     *
     * @throws IOException when the folder does not exist
     */
    public static OscLoadPolicy fromFolder(Path folder) throws IOException {
        return new OscLoadPolicy(folder.toRealPath());
    }

    public boolean enabled() {
        return folder != null;
    }

    public Optional<Path> folder() {
        return Optional.ofNullable(folder);
    }

    /**
     * The file to load for a name sent over OSC.
     *
     * @throws IllegalArgumentException saying why not (disabled, outside the folder, no such file)
     */
    public Path resolve(String name) {
        if (folder == null) {
            throw new IllegalArgumentException("loading files over OSC is off (start with --osc-load-dir DIR to allow "
                    + "files from that folder)");
        }
        Path candidate = folder.resolve(name).normalize();
        if (!candidate.startsWith(folder)) {
            throw new IllegalArgumentException("'" + name + "' is outside the OSC load folder " + folder);
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("no file '" + name + "' in the OSC load folder " + folder);
        }
        if (!real.startsWith(folder) || !Files.isRegularFile(real)) {
            throw new IllegalArgumentException("'" + name + "' is not a file inside the OSC load folder " + folder);
        }
        return real;
    }
}
