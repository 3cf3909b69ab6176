package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.Frames;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.SyncRequest;
import io.loomzk.protocol.Xids;
import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CallTest {
    private static Call<Object> call(long deadline) {
        return Call.of(OpCode.SYNC, new SyncRequest("/"), null, null, deadline);
    }

    /** What the caller gets: the reply, or the failure as a value. */
    private static Object outcome(Call<?> call) {
        try {
            return call.await();
        } catch (Failure f) {
            return f;
        }
    }

    @Test
    void aPathReadEncodesTheFrameOfItsRequestRecordAndOtherBodiesAreRefused() {
        String path = "/a/ü";
        Call<Void> read = Call.pathRead(OpCode.GET_DATA, path, null, Call.NO_DEADLINE);
        read.xid = 5;
        byte[] frame = new byte[read.frameBytes + 2];
        assertThat(read.encodeInto(frame, 2)).isEqualTo(frame.length);
        assertThat(java.util.Arrays.copyOfRange(frame, 2, frame.length))
                .isEqualTo(Frames.request(5, OpCode.GET_DATA, new io.loomzk.protocol.GetDataRequest(path, false)));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Call.pathRead(OpCode.SET_DATA, path, null, Call.NO_DEADLINE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReplyReachesTheWaiter() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Call<Object>> call = new AtomicReference<>();
        CountDownLatch created = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            call.set(call(Call.NO_DEADLINE));
            created.countDown();
            outcome.set(outcome(call.get()));
        });
        created.await();
        assertThat(call.get().succeed("reply")).isTrue();
        waiter.join();
        assertThat(outcome.get()).isEqualTo("reply");
        assertThat(call.get().succeed("second")).isFalse();
        assertThat(call.get().fail(Failure.timeout(true))).isFalse();
    }

    @Test
    void anOverdueCallIsTimedOutOnceAndItsLateReplyIsRefused() {
        long now = System.nanoTime();
        Call<Object> call = call(now + 1_000_000);
        call.sent = true;
        assertThat(call.isOverdue(now)).isFalse();
        assertThat(call.isOverdue(now + 1_000_000)).isTrue();
        assertThat(call.fail(Failure.timeout(call.sent))).isTrue(); // what the ticker does
        assertThat(call.isOverdue(now + 2_000_000)).as("already done").isFalse();
        assertThat(outcome(call))
                .isInstanceOfSatisfying(
                        Failure.TimedOut.class, f -> assertThat(f.sent()).isTrue());
        assertThat(call.isAbandoned()).isTrue();
        assertThat(call.succeed("late")).isFalse();
        assertThat(call(Call.NO_DEADLINE).isOverdue(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void anInterruptedCallerGivesUpAtOnceAndKeepsItsFlag() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            Call<Object> call = call(Call.NO_DEADLINE);
            outcome.set(outcome(call));
            flag.set(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(50);
        long start = System.nanoTime();
        waiter.interrupt();
        waiter.join();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThat(outcome.get()).isInstanceOf(Failure.Interrupted.class);
        assertThat(flag.get()).isTrue();
    }

    @Test
    void aReplyRacingATimeoutHasExactlyOneWinner() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            Call<Object> call = call(Call.NO_DEADLINE);
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Boolean> replied = new AtomicReference<>();
            AtomicReference<Boolean> timedOut = new AtomicReference<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                await(go);
                replied.set(call.succeed("reply"));
            });
            Thread ticker = Thread.ofVirtual().start(() -> {
                await(go);
                timedOut.set(call.fail(Failure.timeout(true)));
            });
            go.countDown();
            Object outcome = outcome(call);
            reader.join();
            ticker.join();
            assertThat(replied.get() ^ timedOut.get()).as("exactly one winner").isTrue();
            if (replied.get()) {
                assertThat(outcome).isEqualTo("reply");
            } else {
                assertThat(outcome).isInstanceOf(Failure.TimedOut.class);
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
    void aCallThatNeverLeftIsSentAgainAsAFreshCallButOneThatMayHaveBeenSentIsNot() throws Exception {
        Call<Object> first = call(77);
        assertThat(first.fail(Failure.connectionLoss(false, null))).isTrue();
        Call<Object> again = first.again();
        assertThat(again).isNotSameAs(first);
        assertThat(again.deadlineNanos).isEqualTo(77);
        assertThat(again.isAbandoned()).as("fresh").isFalse();
        assertThat(again.succeed("reply")).isTrue();
        assertThat(outcome(again)).isEqualTo("reply");
        Call<Void> reserved = Call.reserved(OpCode.AUTH, null, Xids.AUTH, 5);
        assertThat(reserved.again().xid).as("a reserved xid is kept").isEqualTo(Xids.AUTH);
        Call<Object> sent = call(1);
        sent.sent = true;
        org.assertj.core.api.Assertions.assertThatThrownBy(sent::again).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theWriterEncodesTheFrameWithItsXidIntoItsBuffer() throws Exception {
        Call<Object> call = call(Call.NO_DEADLINE);
        call.xid = 0x01020304;
        byte[] batch = new byte[100];
        int end = call.encodeInto(batch, 10);
        assertThat(end - 10).isEqualTo(call.frameBytes);
        byte[] alone = Frames.request(0x01020304, OpCode.SYNC, new SyncRequest("/"));
        assertThat(java.util.Arrays.copyOfRange(batch, 10, end)).isEqualTo(alone);
    }

    @Test
    void aCallKeepsNoReferenceToItsReplyOnceTheCallerHasIt() throws Exception {
        Call<Object> call = call(Call.NO_DEADLINE);
        PendingList list = new PendingList();
        list.append(call);
        assertThat(list.removeFirst(call)).isTrue(); // the list now holds the call as its head
        byte[] reply = new byte[4 << 20];
        WeakReference<byte[]> ref = new WeakReference<>(reply);
        assertThat(call.succeed(reply)).isTrue();
        assertThat(outcome(call)).isSameAs(reply);
        reply = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(ref.get()).as("the reply, after the caller dropped it").isNull();
        assertThat(list.first()).isNull();
        assertThat(call.succeed("late")).as("still completed once").isFalse();
        assertThat(call.isOverdue(Long.MAX_VALUE)).isFalse();
    }
}
