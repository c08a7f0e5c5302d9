package dev.concerto.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuStealTest {

    private static final String BEFORE = """
            cpu  100 0 50 800 0 0 0 50 0 0
            cpu0 50 0 25 400 0 0 0 25 0 0
            intr 1 2 3
            """;
    private static final String AFTER = """
            cpu  200 10 60 1080 0 0 0 150 0 0
            cpu0 100 5 30 540 0 0 0 75 0 0
            """;

    @Test
    void stealIsTheShareOfAllCpuTimeInBetween() {
        CpuSteal before = CpuSteal.parse(BEFORE);
        CpuSteal after = CpuSteal.parse(AFTER);
        assertThat(before).isEqualTo(new CpuSteal(1000, 50));
        // 500 ticks passed (100 user, 10 nice, 10 system, 280 idle, 100 steal)
        assertThat(after.percentSince(before)).isEqualTo(20.0);
    }

    @Test
    void notMeasuredIsNaNAndShownAsADash() {
        CpuSteal s = CpuSteal.parse(BEFORE);
        assertThat(s.percentSince(null)).isNaN();
        assertThat(s.percentSince(s)).isNaN();
        assertThat(CpuSteal.format(Double.NaN)).isEqualTo("–");
        assertThat(CpuSteal.format(12.4)).isEqualTo("12 %");
    }

    @Test
    void aStatWithoutStealOrCpuLineIsRefusedWithWhatIsMissing() {
        assertThatThrownBy(() -> CpuSteal.parse("cpu 1 2 3 4\n")).hasMessageContaining("no steal field");
        assertThatThrownBy(() -> CpuSteal.parse("intr 1\n")).hasMessageContaining("no cpu line");
    }

    @Test
    void thisMachineHasTheCounters() {
        // Linux (every machine the bench runs on): readable, and steal never exceeds the total.
        CpuSteal now = CpuSteal.now();
        assertThat(now).isNotNull();
        assertThat(now.stealJiffies()).isBetween(0L, now.totalJiffies());
    }
}
