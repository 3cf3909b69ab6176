package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.Frames;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.SyncRequest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CallTest {
    private static byte[] frame() {
        return Frames.request(0, OpCode.SYNC, new SyncRequest("/"));
    }

    @Test
    void theReplyReachesTheWaiter() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Call> call = new AtomicReference<>();
        CountDownLatch created = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            call.set(new Call(frame(), null, null));
            created.countDown();
            outcome.set(call.get().await(System.nanoTime() + 10_000_000_000L));
        });
        created.await();
        assertThat(call.get().complete("reply")).isTrue();
        waiter.join();
        assertThat(outcome.get()).isEqualTo("reply");
        assertThat(call.get().complete("second")).isFalse();
    }

    @Test
    void aTimedOutCallIsAbandonedAndItsLateReplyIsRefused() {
        Call call = new Call(frame(), null, null);
        call.sent = true;
        Object outcome = call.await(System.nanoTime() + 20_000_000L);
        assertThat(outcome).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.TIMEOUT);
            assertThat(f.sent()).isTrue();
        });
        assertThat(call.isAbandoned()).isTrue();
        assertThat(call.complete("late")).isFalse();
    }

    @Test
    void anInterruptedCallerGivesUpAtOnceAndKeepsItsFlag() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            Call call = new Call(frame(), null, null);
            outcome.set(call.await(System.nanoTime() + 60_000_000_000L));
            flag.set(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(50);
        long start = System.nanoTime();
        waiter.interrupt();
        waiter.join();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThat(outcome.get())
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INTERRUPTED));
        assertThat(flag.get()).isTrue();
    }

    @Test
    void aReplyRacingATimeoutHasExactlyOneWinner() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            Call call = new Call(frame(), null, null);
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Boolean> completed = new AtomicReference<>();
            Thread completer = Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                completed.set(call.complete("reply"));
            });
            go.countDown();
            Object outcome = call.await(System.nanoTime() + 1_000);
            completer.join();
            if (completed.get()) {
                assertThat(outcome).isEqualTo("reply");
            } else {
                assertThat(outcome).isInstanceOf(Failure.class);
            }
        }
    }

    @Test
    void theWriterPatchesTheXidIntoTheFrame() {
        Call call = new Call(frame(), null, null);
        call.patchXid(0x01020304);
        assertThat(call.xid).isEqualTo(0x01020304);
        assertThat(call.frame[4]).isEqualTo((byte) 1);
        assertThat(call.frame[7]).isEqualTo((byte) 4);
    }
}
