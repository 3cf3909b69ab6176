package io.loomzk.testing;

import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The extension's pinning detector fails a test that pins, without any server. */
class ZkExtensionPinningTest {

    @Test
    void aTestThatPinsAVirtualThreadFailsAndItsNeighbourPasses() {
        Samples.run(PinningSample.class)
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(1).failed(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("pinsInAClassInitializer"),
                                finishedWithFailure(
                                        instanceOf(AssertionError.class),
                                        message(m -> m.contains("virtual thread pinning event")
                                                && m.contains("\"sample-pinner\"")
                                                && m.contains("PinnedOnInit.<clinit>")))));
    }

    @Test
    void failOnPinningFalseLetsTheSameTestPass() {
        Samples.run(TolerantSample.class)
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Samples.Sample
    @ZkTest
    static class PinningSample {
        @Test
        void pinsInAClassInitializer() throws InterruptedException {
            Thread.ofVirtual().name("sample-pinner").start(PinnedOnInit::touch).join();
        }

        @Test
        void doesNotPin() throws InterruptedException {
            Thread.ofVirtual()
                    .start(() -> PinningDetectorTest.sleep(Duration.ofMillis(20)))
                    .join();
        }
    }

    @Samples.Sample
    @ZkTest(failOnPinning = false)
    static class TolerantSample {
        @Test
        void pinsInAClassInitializer() throws InterruptedException {
            Thread.ofVirtual().start(AlsoPinnedOnInit::touch).join();
        }
    }

    static final class PinnedOnInit {
        static {
            PinningDetectorTest.sleep(Duration.ofMillis(20));
        }

        static void touch() {}
    }

    static final class AlsoPinnedOnInit {
        static {
            PinningDetectorTest.sleep(Duration.ofMillis(20));
        }

        static void touch() {}
    }
}
