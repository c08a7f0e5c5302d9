package dev.concerto.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void smallValuesKeepTheirResolutionNextToNegativeOnes() {
        Stats s = Stats.of(List.of(-5000.0, -20.0, 100.0, 142.0, 150.0, 970.0, 2910.0));
        assertThat(s.count()).isEqualTo(7);
        assertThat(s.percentile(50)).isCloseTo(142, within(1.0));
        assertThat(s.min()).isCloseTo(-5000, within(5.0));
        assertThat(s.max()).isCloseTo(2910, within(3.0));
        assertThat(s.percentile(0)).isCloseTo(-5000, within(5.0));
        assertThat(s.percentile(20)).isCloseTo(-20, within(1.0));
        assertThat(s.percentile(100)).isCloseTo(2910, within(3.0));
    }

    @Test
    void onlyNegativeValues() {
        Stats s = Stats.of(List.of(-3.0, -2.0, -1.0));
        assertThat(s.percentile(50)).isEqualTo(-2);
        assertThat(s.max()).isEqualTo(-1);
        assertThat(s.min()).isEqualTo(-3);
    }

    @Test
    void emptyIsNaNAndADash() {
        Stats s = new Stats();
        assertThat(s.percentile(50)).isNaN();
        assertThat(s.summary()).isEqualTo("–");
    }

    @Test
    void absoluteFoldsTheSign() {
        Stats s = Stats.absoluteOf(List.of(-300.0, 100.0, 200.0));
        assertThat(s.max()).isEqualTo(300);
        assertThat(s.min()).isEqualTo(100);
    }
}
