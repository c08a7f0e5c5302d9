package dev.concerto.director.cli;

import dev.concerto.protocol.Authenticator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --key-file}: the shared key of keyed players, one option for {@code play}, {@code players}
 * and {@code gui}. It signs every timed message and clock-sync request (the probe before Play
 * too) and only signed replies count; where discovery runs and {@code --discovery-key-file} is not
 * given, it also checks join announces (a player has one {@code --key-file} for both).
 */
final class KeyOption {

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "timed players: sign every message with this shared key (HMAC-SHA256, at least 16 bytes; "
                    + "the file's bytes as they are) and accept only signed clock-sync replies")
    Path keyFile;

    /**
     * The key's authenticator, or {@code null} without {@code --key-file}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    Authenticator authenticator() {
        if (keyFile == null) {
            return null;
        }
        try {
            return new Authenticator(Files.readAllBytes(keyFile));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the key file " + keyFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(keyFile + ": " + e.getMessage(), e);
        }
    }
}
