package io.loomzk.client.internal;

import io.loomzk.client.SessionState;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The session's state, its own channel apart from node events: the current value for blocking
 * waits, and every transition, in order, for listeners. Listeners run on one virtual thread per
 * client ({@code zk-events-*}), never on the reader or the session loop, one transition at a
 * time.
 */
public final class StateChannel implements Backlog {
    private static final System.Logger LOG = System.getLogger(StateChannel.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by lock. */
    private SessionState current = SessionState.CONNECTING;

    private final CopyOnWriteArrayList<Consumer<SessionState>> listeners = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<SessionState> undelivered = new LinkedBlockingQueue<>();
    private final String name;
    /** Guarded by lock: the thread delivering to listeners, or null when none runs. */
    private Thread dispatcher;
    /** Set once the client is closed: the dispatcher then ends as soon as nothing is left. */
    private volatile boolean closed;
    /** Set once by the session: where a listener that falls behind is reported (null: nowhere). */
    private volatile BacklogWatchdog watchdog;
    /** Written by the dispatcher: when the listener it runs now began (0: none runs). */
    private volatile long busySince;
    /** Written by the dispatcher: the class of the listener it runs now. */
    private volatile String busyWith;
    /** Guarded by lock: whether the current slow listener was reported (until the queue drains). */
    private boolean reported;

    StateChannel(String name) {
        this.name = name;
    }

    /** The current state. */
    public SessionState current() {
        lock.lock();
        try {
            return current;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves to {@code next} unless the current state is terminal. Returns whether it changed.
     */
    boolean publish(SessionState next) {
        SessionState previous;
        lock.lock();
        try {
            if (current == next || current.isTerminal()) {
                return false;
            }
            previous = current;
            current = next;
            // CLOSED published by the ending session loop: the dispatcher must not then idle a
            // second, since publishClosed() will find CLOSED current and enqueue nothing to wake it
            if (next == SessionState.CLOSED) {
                closed = true;
            }
            changed.signalAll();
            enqueueLocked(next);
        } finally {
            lock.unlock();
        }
        record(previous, next);
        return true;
    }

    /** The flight recorder's state event, outside the lock. */
    private void record(SessionState previous, SessionState next) {
        ClientEvents.recordState(name, previous, next);
    }

    /**
     * Blocks until the state is one of {@code targets} or terminal, or the timeout passes.
     *
     * @return the state then
     * @throws InterruptedException if interrupted while waiting
     */
    public SessionState await(Set<SessionState> targets, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (!targets.contains(current) && !current.isTerminal()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                changed.awaitNanos(remaining);
            }
            return current;
        } finally {
            lock.unlock();
        }
    }

    private void enqueueLocked(SessionState state) {
        if (listeners.isEmpty()) {
            return;
        }
        undelivered.add(state);
        if (dispatcher == null) {
            dispatcher = Thread.ofVirtual().name("zk-events-" + name).start(this::deliver);
        }
        BacklogWatchdog w = watchdog;
        if (w != null) {
            w.watch(this); // again with every transition: cheap, and it was maybe dropped as over
        }
    }

    /** Reports listeners that fall behind to {@code w}; set once by the session. */
    void reportBacklogsTo(BacklogWatchdog w) {
        this.watchdog = w;
    }

    @Override
    public Stall check(long nowNanos, long stallNanos) {
        long since = busySince;
        String listener = busyWith;
        lock.lock();
        try {
            int waiting = undelivered.size();
            if (since == 0) {
                if (waiting == 0) {
                    reported = false; // caught up
                }
                return null;
            }
            long busy = nowNanos - since;
            if (reported || busy < stallNanos) {
                return null;
            }
            reported = true;
            return new Stall("STATE_LISTENER", listener, waiting + 1, 0, busy);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isOver() {
        lock.lock();
        try {
            boolean idle = busySince == 0 && undelivered.isEmpty();
            if (idle) {
                reported = false; // caught up; the next transition registers it again
            }
            return idle;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a listener for every later transition. */
    public void addListener(Consumer<SessionState> listener) {
        listeners.add(listener);
    }

    /** Moves to {@link SessionState#CLOSED} from any state: closing overrides an earlier end. */
    void publishClosed() {
        SessionState previous = null;
        lock.lock();
        try {
            closed = true;
            if (current != SessionState.CLOSED) {
                previous = current;
                current = SessionState.CLOSED;
                changed.signalAll();
                enqueueLocked(current);
            }
        } finally {
            lock.unlock();
        }
        if (previous != null) {
            record(previous, SessionState.CLOSED);
        }
    }

    /** Leaves a terminal state for a fresh session: {@link SessionState#CONNECTING}. */
    void reopen() {
        SessionState previous;
        lock.lock();
        try {
            previous = current;
            current = SessionState.CONNECTING;
            changed.signalAll();
            enqueueLocked(current);
        } finally {
            lock.unlock();
        }
        record(previous, SessionState.CONNECTING);
    }

    /**
     * Waits, until the deadline at most, for every transition published so far to be delivered
     * (after {@link #publishClosed()}, the dispatcher then ends). A listener that closes the
     * client from its own thread is not waited for.
     */
    void awaitDelivered(long deadlineNanos) {
        Thread t;
        lock.lock();
        try {
            t = dispatcher;
        } finally {
            lock.unlock();
        }
        Threads.joinUntil(t, deadlineNanos);
    }

    /** Removes a listener. */
    public void removeListener(Consumer<SessionState> listener) {
        listeners.remove(listener);
    }

    /**
     * Delivers transitions until a quiet second passes (or, once closed, until none is left), then
     * lets a later publish restart it.
     */
    private void deliver() {
        try {
            while (true) {
                SessionState state = undelivered.poll(closed ? 0 : 1, TimeUnit.SECONDS);
                if (state == null) {
                    lock.lock();
                    try {
                        if (undelivered.isEmpty()) {
                            dispatcher = null;
                            return;
                        }
                    } finally {
                        lock.unlock();
                    }
                    continue;
                }
                for (Consumer<SessionState> listener : listeners) {
                    busyWith = listener.getClass().getName();
                    busySince = System.nanoTime() | 1; // never 0 while busy
                    try {
                        listener.accept(state);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "session state listener failed on " + state, e);
                    } finally {
                        busySince = 0;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
