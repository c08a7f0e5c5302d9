package dev.concerto.bench.cli;

import dev.concerto.bench.Suite;
import java.util.List;

/** The suites this build can run. */
final class Suites {

    private Suites() {
    }

    static List<Suite> all() {
        return List.of();
    }
}
