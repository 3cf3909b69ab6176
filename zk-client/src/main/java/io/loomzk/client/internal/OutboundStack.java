package io.loomzk.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * Calls waiting for a connection's writer: a lock-free stack linked through the calls themselves
 * ({@link Call#nextOut}), so queueing a call allocates nothing.
 *
 * <p>Any thread pushes; the writer takes the whole stack at once and writes it oldest first, so
 * calls keep the order they were pushed in. Whoever fails the connection takes it too: every
 * call comes out of {@link #takeAll()} exactly once. {@link #forEach} walks a snapshot for the
 * connection's ticker; it may miss calls pushed or taken meanwhile, which the next sweep (or
 * the pending list, where taken calls go) covers.
 */
final class OutboundStack {
    private static final VarHandle TOP = Handles.field(MethodHandles.lookup(), "top", Call.class);

    @SuppressWarnings("unused") // accessed through TOP
    private volatile Call<?> top;

    /** Pushes a call that is in no queue yet. Never blocks. */
    void push(Call<?> call) {
        Call<?> t;
        do {
            t = top;
            call.nextOut = t; // published by the compare-and-set below
        } while (!TOP.compareAndSet(this, t, call));
    }

    /**
     * Takes every call pushed so far.
     *
     * @return the newest call, linked to older ones through {@link Call#nextOut}; null if none
     */
    Call<?> takeAll() {
        return top == null ? null : (Call<?>) TOP.getAndSet(this, (Call<?>) null);
    }

    /** Whether no call is waiting (a snapshot). */
    boolean isEmpty() {
        return top == null;
    }

    /** Visits the calls waiting now, newest first, without taking them. */
    void forEach(Consumer<Call<?>> action) {
        for (Call<?> c = top; c != null; c = c.nextOut) {
            action.accept(c);
        }
    }
}
