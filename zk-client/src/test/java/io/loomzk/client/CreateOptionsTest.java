package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CreateOptionsTest {
    private static final long MAX_TTL_MILLIS = (1L << 40) - 1;

    @Test
    void aTtlTooLongForMillisecondsIsAnIllegalArgumentNotAnOverflow() {
        for (Duration ttl : new Duration[] {
            Duration.ofSeconds(Long.MAX_VALUE),
            Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
            Duration.ofDays(1L << 40)
        }) {
            assertThatThrownBy(() -> CreateOptions.ttl(ttl))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(MAX_TTL_MILLIS));
            assertThatThrownBy(() -> CreateOptions.sequentialTtl(ttl)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aTtlBelowOneMillisecondOrNotPositiveIsAnIllegalArgument() {
        for (Duration ttl : new Duration[] {
            Duration.ofSeconds(Long.MIN_VALUE), Duration.ofMillis(-1), Duration.ZERO, Duration.ofNanos(999_999)
        }) {
            assertThatThrownBy(() -> CreateOptions.ttl(ttl)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> CreateOptions.sequentialTtl(ttl)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theTtlBoundsThemselvesAreAccepted() {
        assertThat(CreateOptions.ttl(Duration.ofMillis(1)).ttlMillis()).isEqualTo(1);
        assertThat(CreateOptions.ttl(Duration.ofMillis(MAX_TTL_MILLIS)).ttlMillis())
                .isEqualTo(MAX_TTL_MILLIS);
        assertThat(CreateOptions.sequentialTtl(Duration.ofMillis(MAX_TTL_MILLIS).plusNanos(999_999))
                        .ttlMillis())
                .isEqualTo(MAX_TTL_MILLIS);
    }
}
