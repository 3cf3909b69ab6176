package io.loomzk.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The median and range over repeated runs. */
class SpreadTest {
    @Test
    void anOddCountHasItsMiddleValueAsMedian() {
        Spread s = Spread.of(3.0, 1.0, 2.0);

        assertThat(s.median()).isEqualTo(2.0);
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(3.0);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.ratio()).isEqualTo("2.00x (1.00–3.00)");
    }

    @Test
    void anEvenCountHasTheMeanOfItsTwoMiddleValues() {
        Spread s = Spread.of(10, 40, 20, 1000);

        assertThat(s.median()).isEqualTo(30.0);
        assertThat(s.min()).isEqualTo(10.0);
        assertThat(s.max()).isEqualTo(1000.0);
        assertThat(s.format("%,.0f")).isEqualTo("30 (10–1,000)");
    }

    @Test
    void valuesThatAreNotFiniteAreLeftOut() {
        Spread s = Spread.of(Double.NaN, 1.5, Double.POSITIVE_INFINITY, 0.5);

        assertThat(s.count()).isEqualTo(2);
        assertThat(s.median()).isEqualTo(1.0);
        assertThat(s.min()).isEqualTo(0.5);
        assertThat(s.max()).isEqualTo(1.5);
    }

    @Test
    void oneValueIsItsOwnMedianAndPrintsWithoutARange() {
        Spread s = Spread.of(1.234);

        assertThat(s.median()).isEqualTo(1.234);
        assertThat(s.min()).isEqualTo(1.234);
        assertThat(s.ratio()).isEqualTo("1.23x");
    }

    @Test
    void nothingGivesAnEmptySpread() {
        Spread s = Spread.of(Double.NaN);

        assertThat(s.isEmpty()).isTrue();
        assertThat(s.median()).isNaN();
        assertThat(s.ratio()).isEqualTo("-");
        assertThat(Spread.of().isEmpty()).isTrue();
        Map<String, Object> json = s.toJson();
        assertThat(json).containsEntry("runs", 0);
    }
}
