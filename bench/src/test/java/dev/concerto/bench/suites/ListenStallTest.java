package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** How the stalled run's table finds the stalled player against the others. */
class ListenStallTest {

    @Test
    void theStalledPlayerIsMeasuredAgainstTheMedianOfTheOthers() {
        assertThat(ListenSuite.offFromOthers(new double[] {3.0, 0.5, 1.0, 9.0})).isCloseTo(2.0, within(1e-9));
        assertThat(ListenSuite.offFromOthers(new double[] {-1.0, 0.2, Double.NaN, 0.4})).isCloseTo(-1.3, within(1e-9));
    }

    @Test
    void withoutItsOnsetOrAnyOtherThereIsNoMeasure() {
        assertThat(ListenSuite.offFromOthers(new double[] {Double.NaN, 0.5, 1.0})).isNaN();
        assertThat(ListenSuite.offFromOthers(new double[] {0.5, Double.NaN})).isNaN();
    }
}
