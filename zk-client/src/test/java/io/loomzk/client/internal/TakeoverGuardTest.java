package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TakeoverGuardTest {
    private static final int TIMEOUT_MS = 10_000;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void theThirdServerCloseWithinOneSessionTimeoutIsATakeOver() {
        TakeoverGuard guard = new TakeoverGuard();
        assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, 0)).isFalse();
        assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, 100 * MS))
                .isFalse();
        assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, 200 * MS))
                .isTrue();
    }

    @Test
    void theNewHolderRidesOutKicksAndSaysSoSoThatItResumesSecond() {
        TakeoverGuard guard = new TakeoverGuard();
        guard.tookOver(0, TIMEOUT_MS);
        for (int i = 1; i <= 5; i++) {
            assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, i * MS))
                    .isFalse();
            assertThat(guard.rodeOutKick()).isTrue();
        }
        // a connection that ends another way is not a kick ridden out
        assertThat(guard.connectionEnded(new java.net.SocketTimeoutException(), TIMEOUT_MS, 6 * MS))
                .isFalse();
        assertThat(guard.rodeOutKick()).isFalse();
        // after the grace, kicks count again and are not ridden out
        assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, 10_001 * MS))
                .isFalse();
        assertThat(guard.rodeOutKick()).isFalse();
    }

    @Test
    void sessionMovedCountsAsAKick() {
        TakeoverGuard guard = new TakeoverGuard();
        guard.connectionEnded(new TakeoverGuard.Moved(), TIMEOUT_MS, 0);
        guard.connectionEnded(new TakeoverGuard.Moved(), TIMEOUT_MS, MS);
        assertThat(guard.connectionEnded(new TakeoverGuard.Moved(), TIMEOUT_MS, 2 * MS))
                .isTrue();
    }

    @Test
    void kicksOlderThanOneSessionTimeoutAreForgotten() {
        TakeoverGuard guard = new TakeoverGuard();
        guard.connectionEnded(new EOFException(), TIMEOUT_MS, 0);
        guard.connectionEnded(new EOFException(), TIMEOUT_MS, 5_000 * MS);
        // the first kick is 10.5 s old now: only two within the window
        assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, 10_500 * MS))
                .isFalse();
        assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, 10_600 * MS))
                .isTrue();
    }

    @Test
    void aTimeoutOrResetClearsTheCountAndOwnClosesDoNotCount() {
        TakeoverGuard guard = new TakeoverGuard();
        guard.connectionEnded(new EOFException(), TIMEOUT_MS, 0);
        guard.connectionEnded(new EOFException(), TIMEOUT_MS, MS);
        assertThat(guard.connectionEnded(new SocketTimeoutException(), TIMEOUT_MS, 2 * MS))
                .isFalse();
        guard.connectionEnded(new EOFException(), TIMEOUT_MS, 3 * MS);
        assertThat(guard.connectionEnded(null, TIMEOUT_MS, 4 * MS)).isFalse();
        assertThat(guard.connectionEnded(new TakeoverGuard.DroppedOnRequest("drop"), TIMEOUT_MS, 5 * MS))
                .isFalse();
        guard.connectionEnded(new EOFException(), TIMEOUT_MS, 6 * MS);
        assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, 7 * MS))
                .isTrue();
    }

    @Test
    void aClientThatTookTheSessionOverIgnoresKicksForOneSessionTimeout() {
        TakeoverGuard guard = new TakeoverGuard();
        guard.tookOver(0, TIMEOUT_MS);
        for (int i = 1; i <= 10; i++) {
            assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, i * 100 * MS))
                    .isFalse();
        }
        // after the grace, kicks count again from zero
        assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, 10_001 * MS))
                .isFalse();
        assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, 10_002 * MS))
                .isFalse();
        assertThat(guard.connectionEnded(new EOFException(), TIMEOUT_MS, 10_003 * MS))
                .isTrue();
    }
}
