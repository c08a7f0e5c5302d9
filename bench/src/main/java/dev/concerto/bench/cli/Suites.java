package dev.concerto.bench.cli;

import dev.concerto.bench.Suite;
import dev.concerto.bench.suites.DiscoverySuite;
import dev.concerto.bench.suites.FloodSuite;
import dev.concerto.bench.suites.LiveSuite;
import dev.concerto.bench.suites.FootprintSuite;
import dev.concerto.bench.suites.ImportSuite;
import dev.concerto.bench.suites.LatencySuite;
import dev.concerto.bench.suites.ListenCalibrationSuite;
import dev.concerto.bench.suites.ListenSuite;
import dev.concerto.bench.suites.NetworkClockSuite;
import dev.concerto.bench.suites.NetworkSuite;
import dev.concerto.bench.suites.OnsetSuite;
import dev.concerto.bench.suites.ScaleSuite;
import dev.concerto.bench.suites.ScheduleSuite;
import java.util.List;

/** The suites this build can run. */
final class Suites {

    private Suites() {
    }

    static List<Suite> all() {
        return List.of(new OnsetSuite(), new ScheduleSuite(), new LatencySuite(), new ScaleSuite(), new FootprintSuite(), new FloodSuite(),
                new ImportSuite(), new ListenSuite(), new ListenCalibrationSuite(), new LiveSuite(), new NetworkSuite(), new NetworkClockSuite(),
                new DiscoverySuite());
    }
}
