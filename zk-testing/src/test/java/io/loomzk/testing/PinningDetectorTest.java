package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class PinningDetectorTest {

    /** Blocking in a class initializer pins a virtual thread on Java 21 and on Java 24+. */
    static final class PinsWhileInitializing {
        static {
            sleep(Duration.ofMillis(30));
        }

        static void touch() {}
    }

    @Test
    void blockingInAClassInitializerOnAVirtualThreadIsDetected() throws Exception {
        PinningDetector detector = PinningDetector.start();
        Thread.ofVirtual().name("pinner").start(PinsWhileInitializing::touch).join();

        List<PinningDetector.Pinning> pins = detector.stop();

        assertThat(pins).hasSize(1);
        PinningDetector.Pinning pin = pins.get(0);
        assertThat(pin.thread()).isEqualTo("pinner");
        assertThat(pin.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        assertThat(pin.stack()).anyMatch(f -> f.startsWith(PinsWhileInitializing.class.getName() + ".<clinit>"));
        if (Runtime.version().feature() >= 24) {
            assertThat(pin.reason()).isNotBlank();
        }
        assertThat(detector.stop()).isEqualTo(pins);
    }

    @Test
    void blockingOnAReentrantLockDoesNotPin() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        try (PinningDetector detector = PinningDetector.start()) {
            lock.lock();
            Thread waiter = Thread.ofVirtual().start(() -> {
                lock.lock();
                lock.unlock();
            });
            Thread.sleep(50);
            lock.unlock();
            waiter.join();
            Thread.ofVirtual().start(() -> sleep(Duration.ofMillis(20))).join();

            detector.stopAndVerify();
            assertThat(detector.stop()).isEmpty();
        }
    }

    @Test
    void pinsOutsideTheWatchedPackagesAreIgnored() throws Exception {
        PinningDetector elsewhere = PinningDetector.start(List.of("com.example."));
        PinningDetector here = PinningDetector.start(List.of("com.example.", "io.loomzk.testing."));
        Thread.ofVirtual().start(PinsToo::touch).join();
        assertThat(elsewhere.stop()).isEmpty();
        assertThat(here.stop()).hasSize(1);
    }

    @Test
    void stopAndVerifyFailsWithTheStack() throws Exception {
        PinningDetector detector = PinningDetector.start();
        Thread.ofVirtual().name("pinner-2").start(PinsAsWell::touch).join();
        assertThatThrownBy(detector::stopAndVerify)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 virtual thread pinning event(s) with a frame in [io.loomzk.]")
                .hasMessageContaining("\"pinner-2\"")
                .hasMessageContaining(PinsAsWell.class.getName() + ".<clinit>");
    }

    @Test
    void waitingForAnotherThreadsClassInitializationIsNotReportedButTheInitializerIs() throws Exception {
        PinningDetector detector = PinningDetector.start();
        Thread first = Thread.ofVirtual().name("initializer").start(SlowToInitialize::touch);
        Thread second = Thread.ofVirtual().name("waiter").start(SlowToInitialize::touch);
        first.join();
        second.join();

        List<PinningDetector.Pinning> pins = detector.stop();
        // Whichever thread got there first ran the initializer (and is reported); the other waited.
        assertThat(pins).hasSize(1);
        assertThat(pins.get(0).thread()).isIn("initializer", "waiter");
        assertThat(pins.get(0).stack()).anyMatch(f -> f.contains("SlowToInitialize.<clinit>"));
    }

    @Test
    void aPinAtAWatchedLineItselfIsTheVmWaitingOnAClassAndIsNotReported() {
        List<String> watched = List.of("io.loomzk.");
        // what Java 25 recorded in a recipes test: a thread waiting at `new ZkException...` while
        // another thread set the class up, reason "Freeze or preempt failed (2)"
        List<String> vmWait = List.of("io.loomzk.client.Errors", "io.loomzk.client.ZkClient", "java.lang.Thread");
        assertThat(PinningDetector.isReported(vmWait, "Freeze or preempt failed (2)", watched))
                .isFalse();
        // the same code blocking in the JDK while pinned (a park, a socket read) is reported
        List<String> parked = List.of(
                "jdk.internal.misc.Unsafe",
                "java.util.concurrent.locks.LockSupport",
                "io.loomzk.client.internal.Call",
                "java.lang.Thread");
        assertThat(PinningDetector.isReported(parked, "Native or VM frame on stack", watched))
                .isTrue();
        assertThat(PinningDetector.isReported(parked, null, watched)).isTrue();
        assertThat(PinningDetector.isReported(
                        parked, "Waited for initialization of io.loomzk.X by another thread", watched))
                .isFalse();
        assertThat(PinningDetector.isReported(parked, null, List.of("com.example.")))
                .isFalse();
        // blocked while the JVM loads a class a watched line uses: once per class, not reported
        List<String> loading = List.of(
                "jdk.internal.misc.Unsafe",
                "java.util.concurrent.locks.LockSupport",
                "jdk.internal.loader.BuiltinClassLoader",
                "java.lang.ClassLoader",
                "io.loomzk.client.internal.Watches",
                "java.lang.Thread");
        assertThat(PinningDetector.isReported(loading, "Native or VM frame on stack", watched))
                .isFalse();
        // the flight recorder's own bookkeeping for a watched event (seen with the detector on)
        List<String> recorder = List.of(
                "jdk.jfr.internal.StringPool",
                "jdk.jfr.internal.event.EventWriter",
                "io.loomzk.client.internal.JfrEvents$CallEvent",
                "java.lang.Thread");
        assertThat(PinningDetector.isReported(recorder, "Freeze or preempt failed (2)", watched))
                .isFalse();
        // a class loader's frames outside the watched code do not excuse a pin inside it
        List<String> loadedThenParked = List.of(
                "jdk.internal.misc.Unsafe",
                "java.util.concurrent.locks.LockSupport",
                "io.loomzk.client.internal.Call",
                "java.lang.ClassLoader",
                "java.lang.Thread");
        assertThat(PinningDetector.isReported(loadedThenParked, "Native or VM frame on stack", watched))
                .isTrue();
    }

    static final class SlowToInitialize {
        static {
            sleep(Duration.ofMillis(50));
        }

        static void touch() {}
    }

    static final class PinsToo {
        static {
            sleep(Duration.ofMillis(10));
        }

        static void touch() {}
    }

    static final class PinsAsWell {
        static {
            sleep(Duration.ofMillis(10));
        }

        static void touch() {}
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
