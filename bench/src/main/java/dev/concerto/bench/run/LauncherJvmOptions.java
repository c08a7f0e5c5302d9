package dev.concerto.bench.run;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options the {@code concerto} launcher gives its subcommands (its {@code jvm_opts}), so the
 * bench's processes run as a user's do. {@code PlayerJvmOptionsTest} checks them against the launcher.
 */
public final class LauncherJvmOptions {

    /** {@code ./concerto player} and {@code ensemble}: the serial collector (a heap of a few MB). */
    public static final List<String> PLAYER = List.of("-XX:+UseSerialGC");
    /** {@code ./concerto play}: no optimising compiler (its compilations at a piece's start cost more than they save). */
    public static final List<String> PLAY = List.of("-XX:TieredStopAtLevel=1");

    private LauncherJvmOptions() {
    }

    /** {@link #PLAYER} and a heap limit ({@code "128m"}). */
    public static List<String> player(String maxHeap) {
        List<String> options = new ArrayList<>(PLAYER);
        options.add("-Xmx" + maxHeap);
        return options;
    }
}
