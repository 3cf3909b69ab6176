package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.Frames;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.SyncRequest;
import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CallTest {
    private static Call call(long deadline) {
        SyncRequest body = new SyncRequest("/");
        return new Call(OpCode.SYNC, body, Frames.requestFrameBytes(body), null, null, deadline);
    }

    @Test
    void aPathReadEncodesTheFrameOfItsRequestRecordAndOtherBodiesAreRefused() {
        String path = "/a/ü";
        Call read = new Call(OpCode.GET_DATA, path, Frames.pathRequestFrameBytes(path), null, null, Call.NO_DEADLINE);
        read.xid = 5;
        byte[] frame = new byte[read.frameBytes + 2];
        assertThat(read.encodeInto(frame, 2)).isEqualTo(frame.length);
        assertThat(java.util.Arrays.copyOfRange(frame, 2, frame.length))
                .isEqualTo(Frames.request(5, OpCode.GET_DATA, new io.loomzk.protocol.GetDataRequest(path, false)));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Call(OpCode.SET_DATA, path, 20, null, null, Call.NO_DEADLINE))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Call(OpCode.GET_DATA, new byte[0], 20, null, null, Call.NO_DEADLINE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReplyReachesTheWaiter() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Call> call = new AtomicReference<>();
        CountDownLatch created = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            call.set(call(Call.NO_DEADLINE));
            created.countDown();
            outcome.set(call.get().await());
        });
        created.await();
        assertThat(call.get().complete("reply")).isTrue();
        waiter.join();
        assertThat(outcome.get()).isEqualTo("reply");
        assertThat(call.get().complete("second")).isFalse();
    }

    @Test
    void anOverdueCallIsTimedOutOnceAndItsLateReplyIsRefused() {
        long now = System.nanoTime();
        Call call = call(now + 1_000_000);
        call.sent = true;
        assertThat(call.isOverdue(now)).isFalse();
        assertThat(call.isOverdue(now + 1_000_000)).isTrue();
        assertThat(call.complete(Failure.timeout(call.sent))).isTrue(); // what the ticker does
        assertThat(call.isOverdue(now + 2_000_000)).as("already done").isFalse();
        assertThat(call.await()).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.TIMEOUT);
            assertThat(f.sent()).isTrue();
        });
        assertThat(call.isAbandoned()).isTrue();
        assertThat(call.complete("late")).isFalse();
        assertThat(call(Call.NO_DEADLINE).isOverdue(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void anInterruptedCallerGivesUpAtOnceAndKeepsItsFlag() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            Call call = call(Call.NO_DEADLINE);
            outcome.set(call.await());
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
            Call call = call(Call.NO_DEADLINE);
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Boolean> replied = new AtomicReference<>();
            AtomicReference<Boolean> timedOut = new AtomicReference<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                await(go);
                replied.set(call.complete("reply"));
            });
            Thread ticker = Thread.ofVirtual().start(() -> {
                await(go);
                timedOut.set(call.complete(Failure.timeout(true)));
            });
            go.countDown();
            Object outcome = call.await();
            reader.join();
            ticker.join();
            assertThat(replied.get() ^ timedOut.get()).as("exactly one winner").isTrue();
            if (replied.get()) {
                assertThat(outcome).isEqualTo("reply");
            } else {
                assertThat(outcome).isInstanceOf(Failure.class);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theWriterEncodesTheFrameWithItsXidIntoItsBuffer() throws Exception {
        Call call = call(Call.NO_DEADLINE);
        call.xid = 0x01020304;
        byte[] batch = new byte[100];
        int end = call.encodeInto(batch, 10);
        assertThat(end - 10).isEqualTo(call.frameBytes);
        byte[] alone = Frames.request(0x01020304, OpCode.SYNC, new SyncRequest("/"));
        assertThat(java.util.Arrays.copyOfRange(batch, 10, end)).isEqualTo(alone);
    }

    @Test
    void aCallKeepsNoReferenceToItsReplyOnceTheCallerHasIt() throws Exception {
        Call call = call(Call.NO_DEADLINE);
        PendingList list = new PendingList();
        list.append(call);
        assertThat(list.removeFirst(call)).isTrue(); // the list now holds the call as its head
        byte[] reply = new byte[4 << 20];
        WeakReference<byte[]> ref = new WeakReference<>(reply);
        assertThat(call.complete(reply)).isTrue();
        assertThat(call.await()).isSameAs(reply);
        reply = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(ref.get()).as("the reply, after the caller dropped it").isNull();
        assertThat(list.first()).isNull();
        assertThat(call.complete("late")).as("still completed once").isFalse();
        assertThat(call.isOverdue(Long.MAX_VALUE)).isFalse();
    }
}
