package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.SyncRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The intrusive queues a connection keeps its calls in, under real contention (platform threads,
 * so producers and consumers run in parallel): nothing lost, nothing taken twice, order kept.
 */
@Timeout(60)
class CallQueuesTest {
    private static final SyncRequest BODY = new SyncRequest("/");

    /** A call whose deadline field carries a test id: producer * 1e9 + sequence. */
    private static Call<Object> call(long id) {
        return Call.of(OpCode.SYNC, BODY, null, null, id);
    }

    @Test
    void theStackHandsEveryPushedCallToTheTakerOnceOldestFirst() throws Exception {
        int producers = 4;
        int perProducer = 50_000;
        OutboundStack stack = new OutboundStack();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long base = p * 1_000_000_000L;
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (int i = 0; i < perProducer; i++) {
                    stack.push(call(base + i));
                }
            }));
        }
        AtomicBoolean sweeping = new AtomicBoolean(true);
        AtomicInteger swept = new AtomicInteger();
        Thread sweeper = Thread.ofPlatform().start(() -> {
            while (sweeping.get()) {
                stack.forEach(c -> swept.incrementAndGet()); // the ticker's walk must always end
            }
        });
        start.countDown();
        List<Call<?>> taken = new ArrayList<>();
        List<Call<?>> batch = new ArrayList<>();
        while (taken.size() < producers * perProducer) {
            batch.clear();
            for (Call<?> c = stack.takeAll(); c != null; c = c.nextOut) {
                batch.add(c);
            }
            Collections.reverse(batch);
            taken.addAll(batch);
        }
        for (Thread t : threads) {
            t.join();
        }
        sweeping.set(false);
        sweeper.join();
        assertThat(stack.takeAll()).isNull();
        assertThat(stack.isEmpty()).isTrue();
        long[] next = new long[producers];
        for (Call<?> c : taken) {
            int p = (int) (c.deadlineNanos / 1_000_000_000L);
            long seq = c.deadlineNanos % 1_000_000_000L;
            assertThat(seq).as("producer %d's calls in push order", p).isEqualTo(next[p]);
            next[p]++;
        }
        assertThat(next).containsOnly(perProducer);
    }

    @Test
    void pendingCallsAreTakenOnceInOrderWhileACloserDrainsConcurrently() throws Exception {
        int total = 200_000;
        PendingList list = new PendingList();
        AtomicInteger takenByReader = new AtomicInteger();
        AtomicInteger takenByCloser = new AtomicInteger();
        AtomicInteger appended = new AtomicInteger();
        Call<?>[] calls = new Call<?>[total];
        for (int i = 0; i < total; i++) {
            calls[i] = call(i);
        }
        Thread writer = Thread.ofPlatform().start(() -> {
            for (Call<?> c : calls) {
                list.append(c);
                appended.incrementAndGet();
            }
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                readInOrder(list, total, takenByReader, takenByCloser);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                takenByCloser.addAndGet(total); // end the other loops
            }
        });
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                drainSome(list, total, takenByReader, takenByCloser);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                takenByReader.addAndGet(total);
            }
        });
        writer.join();
        reader.join();
        closer.join();
        assertThat(failure.get()).isNull();
        assertThat(appended.get()).isEqualTo(total);
        assertThat(takenByReader.get() + takenByCloser.get()).isEqualTo(total);
        assertThat(takenByReader.get()).isPositive();
        assertThat(takenByCloser.get()).isPositive();
        assertThat(list.first()).isNull();
        assertThat(list.poll()).isNull();
        for (Call<?> c : calls) {
            assertThat(c.isAbandoned()).as("completed").isTrue();
        }
    }

    /** What the connection's reader does: match the oldest call, then take exactly that one. */
    private static void readInOrder(
            PendingList list, int total, AtomicInteger takenByReader, AtomicInteger takenByCloser) {
        long last = -1;
        while (takenByReader.get() + takenByCloser.get() < total) {
            Call<?> first = list.first();
            if (first == null) {
                continue;
            }
            assertThat(first.deadlineNanos).isGreaterThan(last);
            last = first.deadlineNanos;
            if (list.removeFirst(first)) {
                assertThat(first.succeed()).isTrue();
                takenByReader.incrementAndGet();
            }
        }
    }

    /** What a connection's closer does, with the ticker's walk in between. */
    private static void drainSome(
            PendingList list, int total, AtomicInteger takenByReader, AtomicInteger takenByCloser) {
        while (takenByReader.get() + takenByCloser.get() < total) {
            for (int i = 0; i < 3; i++) {
                Call<?> c = list.poll();
                if (c != null) {
                    assertThat(c.fail(Failure.connectionLoss(true, null))).isTrue();
                    takenByCloser.incrementAndGet();
                }
            }
            list.forEach(c -> {}); // the ticker's walk
            Thread.onSpinWait();
        }
    }

    @Test
    void theReaderDoesNotTakeACallTheCloserAlreadyTook() {
        PendingList list = new PendingList();
        Call<?> a = call(1);
        Call<?> b = call(2);
        list.append(a);
        list.append(b);
        assertThat(list.first()).isSameAs(a);
        assertThat(list.poll()).isSameAs(a); // the closer wins the race for a
        assertThat(list.removeFirst(a)).isFalse();
        assertThat(list.first()).as("b stays for whoever takes it").isSameAs(b);
        List<Call<?>> walked = new ArrayList<>();
        list.forEach(walked::add);
        assertThat(walked).containsExactly(b);
        assertThat(list.removeFirst(b)).isTrue();
        assertThat(list.first()).isNull();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
