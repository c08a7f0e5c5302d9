package dev.concerto.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LineFitTest {

    @Test
    void findsTheLineThroughNoisyPoints() {
        LineFit fit = new LineFit();
        double[] noise = {0.1, -0.1, 0.05, -0.05, 0};
        for (int i = 0; i < noise.length; i++) {
            fit.add(i, 3 + 2 * i + noise[i]);
        }
        assertThat(fit.count()).isEqualTo(5);
        assertThat(fit.slope()).isCloseTo(2, within(0.05));
        assertThat(fit.intercept()).isCloseTo(3, within(0.1));
    }

    @Test
    void tooFewOrCoincidentPointsHaveNoLine() {
        LineFit fit = new LineFit();
        fit.add(1, 1);
        assertThat(fit.slope()).isNaN();
        fit.add(1, 5);
        assertThat(fit.slope()).isNaN();
        assertThat(fit.intercept()).isNaN();
    }
}
