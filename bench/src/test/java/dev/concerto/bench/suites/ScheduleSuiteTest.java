package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScheduleSuiteTest {

    @Test
    void readsEachPlayersProtocolFromTheDirectorsRosterLines() {
        String log = "local players: 3 on 127.0.0.1, sounding through virtual\n"
                + "  bass (voice bass) -> 127.0.0.1:60843 [timed]\n"
                + "  esp (voice tenor) -> 127.0.0.1:36124 [legacy]\n"
                + "  pi (voice alto) -> [::1]:10001 [auto -> timed]\n"
                + "playing measure   1/35  0:00.4 / 1:10.0  4 datagrams sent\n";
        assertThat(ScheduleSuite.protocols(log)).containsExactly(
                java.util.Map.entry("bass", "timed"), java.util.Map.entry("esp", "legacy"), java.util.Map.entry("pi", "timed"));
    }
}
