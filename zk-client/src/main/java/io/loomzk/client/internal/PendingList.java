package io.loomzk.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A connection's written calls in wire order, waiting for their replies: a linked list through
 * the calls themselves ({@link Call#nextPending}), so it allocates nothing per call.
 *
 * <p>One producer, the writer, appends. Consumers take from the head by compare-and-set: the
 * reader takes exactly the call it matched a reply to ({@link #removeFirst}), and whoever fails
 * the connection drains the rest ({@link #poll}), each call once. The head is the last call taken
 * (a sentinel at first), so appending never races with taking.
 */
final class PendingList {
    private static final VarHandle HEAD = Handles.field(MethodHandles.lookup(), "head", Call.class);

    /** The last call taken, or the sentinel; the first pending call is its successor. */
    private volatile Call<?> head;

    /** The last call appended, or the head. Owned by the producer. */
    private Call<?> tail;

    PendingList() {
        Call<?> sentinel = Call.sentinel();
        head = sentinel;
        tail = sentinel;
    }

    /** Appends a call that is in no list yet. Producer only; never blocks. */
    void append(Call<?> call) {
        Call<?> t = tail;
        tail = call;
        t.nextPending = call; // volatile write: publishes the call's fields to consumers
    }

    /** The oldest pending call, or null. */
    Call<?> first() {
        return head.nextPending;
    }

    /**
     * Takes {@code call} if it is still the oldest pending call.
     *
     * @return false if another consumer took it first
     */
    boolean removeFirst(Call<?> call) {
        Call<?> h = head;
        return h.nextPending == call && HEAD.compareAndSet(this, h, call);
    }

    /** Takes the oldest pending call; null if none. Any thread. */
    Call<?> poll() {
        while (true) {
            Call<?> h = head;
            Call<?> first = h.nextPending;
            if (first == null) {
                return null;
            }
            if (HEAD.compareAndSet(this, h, first)) {
                return first;
            }
        }
    }

    /** Visits the pending calls, oldest first, without taking them (a weakly consistent walk). */
    void forEach(Consumer<Call<?>> action) {
        for (Call<?> c = head.nextPending; c != null; c = c.nextPending) {
            action.accept(c);
        }
    }
}
