package io.loomzk.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The steady-state window: only what completes between open and close counts. */
class RunControlTest {
    @Test
    void aSteadyWindowRecordsOnlyBetweenOpenAndClose() {
        RunControl ctl = RunControl.steady(System.nanoTime() + 60_000_000_000L);
        long began = System.nanoTime();

        ctl.served();
        ctl.done(began); // before the window: queueing, not measured
        ctl.failed(new RuntimeException("before"));
        assertThat(ctl.windowOps()).isZero();
        assertThat(ctl.servedCallers()).isEqualTo(1);

        long opened = ctl.open();
        ctl.done(began);
        ctl.done(began);
        ctl.done(began);
        ctl.failed(new RuntimeException("inside"));
        long closed = ctl.close();
        ctl.done(began); // after the window
        ctl.failed(new RuntimeException("after"));

        assertThat(closed).isGreaterThanOrEqualTo(opened);
        assertThat(ctl.windowOps()).isEqualTo(3);
        assertThat(ctl.recorder.getIntervalHistogram().getTotalCount()).isEqualTo(3);
        // the first completion in the window has no predecessor in it: two gaps for three
        assertThat(ctl.gaps.getIntervalHistogram().getTotalCount()).isEqualTo(2);
        assertThat(ctl.errors()).isEqualTo(1);
        assertThat(ctl.firstError()).hasMessage("inside");
        assertThat(ctl.running()).isTrue();
        ctl.stop();
        assertThat(ctl.running()).isFalse();
    }

    @Test
    void aSteadyWindowGivesUpAtItsDeadlineAndATimedOneAtItsEnd() {
        long giveUp = System.nanoTime() + 5_000_000_000L;
        assertThat(RunControl.steady(giveUp).giveUpNanos()).isEqualTo(giveUp);

        RunControl timed = RunControl.timed(1_000_000L, 2_000_000L);
        assertThat(timed.measureEndNanos() - timed.measureStartNanos()).isEqualTo(2_000_000L);
        assertThat(timed.giveUpNanos()).isEqualTo(timed.measureEndNanos());
    }

    @Test
    void aTimedWindowRecordsLatencyOnlyNotTheSteadyWindowsCountersWhichWouldCostEveryOp() {
        RunControl timed = RunControl.timed(0, 60_000_000_000L);
        long began = System.nanoTime();

        timed.done(began);
        timed.done(began);

        assertThat(timed.recorder.getIntervalHistogram().getTotalCount()).isEqualTo(2);
        assertThat(timed.windowOps()).isZero();
        assertThat(timed.gaps.getIntervalHistogram().getTotalCount()).isZero();
    }
}
