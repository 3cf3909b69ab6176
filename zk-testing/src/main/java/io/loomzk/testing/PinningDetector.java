package io.loomzk.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Records JFR {@code jdk.VirtualThreadPinned} events while it runs and reports those whose stack
 * has a frame in one of the watched packages ({@code io.loomzk} by default).
 *
 * <p>A virtual thread is pinned when it blocks while it cannot unmount from its carrier: on
 * Java 21 inside {@code synchronized} or a native frame or a class initializer, on Java 24 and
 * later (JEP 491) only in the last two. Every pin of any duration is recorded (threshold 0), with
 * its stack trace (JFR keeps its 64 innermost frames). {@link ZkTest} runs one detector around
 * each test; it can also be used alone:
 *
 * <pre>{@code
 * try (PinningDetector pins = PinningDetector.start()) {
 *     runTheCode();
 *     pins.stopAndVerify();
 * }
 * }</pre>
 *
 * <p>One kind of pin is ignored: on Java 24 and later a virtual thread that merely waits while
 * another thread initializes a class is pinned for that wait (reason "Waited for initialization
 * of ... by another thread"). It happens once per class and JVM, to whichever threads first race
 * to use a class, so it would fail whichever test warms a class up concurrently, at random. The
 * thread that blocks <em>inside</em> the class initializer is still reported. Java 21 records
 * no event for either wait. Java 25 reports some of those waits with another reason ("Freeze or
 * preempt failed"); they are recognized by their innermost frame, which is watched code rather
 * than the JDK method a blocking call would show (watched code cannot block without calling the
 * JDK), and ignored as well. So is a thread that blocks while the JVM loads a class for watched
 * code (a class loader's frames inside the watched ones): loading, too, happens once per class.
 * And so is a pin inside the flight recorder's own code ({@code jdk.jfr} frames inside the
 * watched ones: an event class registering itself, an event's strings being pooled), which runs
 * only because a recording, this detector's among them, is on.
 *
 * <p>Thread-safe. Starting JFR costs some hundreds of milliseconds the first time in a JVM and
 * little after that.
 */
public final class PinningDetector implements AutoCloseable {
    /** The JFR event this detector records. */
    public static final String EVENT = "jdk.VirtualThreadPinned";

    /** The start of the pinned reason of a wait for another thread's class initialization. */
    private static final String CLASS_INIT_WAIT = "Waited for initialization of";

    /** One pinned virtual thread: who, how long, why (Java 24 and later), and where. */
    public record Pinning(String thread, Duration duration, String reason, List<String> stack) {
        /** Copies the stack. */
        public Pinning {
            stack = List.copyOf(stack);
        }

        @Override
        public String toString() {
            return "virtual thread \"" + thread + "\" pinned for " + duration.toNanos() / 1000 + " us"
                    + (reason == null ? "" : " (" + reason + ")") + "\n\tat "
                    + String.join("\n\tat ", stack);
        }
    }

    private final List<String> packages;
    private final RecordingStream stream;
    private final List<Pinning> found = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private PinningDetector(List<String> packages) {
        this.packages = List.copyOf(packages);
        this.stream = new RecordingStream();
        stream.enable(EVENT).withThreshold(Duration.ZERO).withStackTrace();
        stream.onEvent(EVENT, this::onPinned);
        stream.startAsync();
    }

    /**
     * Starts recording pins with an {@code io.loomzk} frame; returns once JFR records.
     *
     * @throws IllegalStateException if JFR is not available in this JVM
     */
    public static PinningDetector start() {
        return start(List.of("io.loomzk."));
    }

    /**
     * Starts recording pins with a frame whose class name starts with one of {@code prefixes}
     * (e.g. {@code "com.example."}).
     *
     * @throws IllegalStateException if JFR is not available in this JVM
     */
    public static PinningDetector start(List<String> prefixes) {
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("no package prefix to watch");
        }
        try {
            return new PinningDetector(prefixes);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("cannot record JFR events in this JVM: " + e, e);
        }
    }

    /**
     * Stops recording, waits until JFR has delivered every event recorded so far, and returns the
     * pins with a watched frame. Later calls return the same list.
     */
    public List<Pinning> stop() {
        if (stopped.compareAndSet(false, true)) {
            // RecordingStream.stop() returns after every event recorded before it was delivered.
            stream.stop();
            stream.close();
        }
        return List.copyOf(found);
    }

    /**
     * {@link #stop()}, then fails if any pin was found.
     *
     * @throws AssertionError listing every pin with its stack
     */
    public void stopAndVerify() {
        List<Pinning> pins = stop();
        if (!pins.isEmpty()) {
            throw new AssertionError(pins.size() + " virtual thread pinning event(s) with a frame in " + packages
                    + ":\n" + pins.stream().map(Pinning::toString).collect(Collectors.joining("\n")));
        }
    }

    /** Stops recording without checking anything. */
    @Override
    public void close() {
        stop();
    }

    private void onPinned(RecordedEvent event) {
        RecordedStackTrace trace = event.getStackTrace();
        if (trace == null) {
            return;
        }
        List<String> types = new ArrayList<>(trace.getFrames().size());
        List<String> stack = new ArrayList<>(trace.getFrames().size());
        for (RecordedFrame frame : trace.getFrames()) {
            String type = frame.getMethod().getType().getName();
            types.add(type);
            stack.add(type + "." + frame.getMethod().getName() + "(line " + frame.getLineNumber() + ")");
        }
        String reason = event.hasField("pinnedReason") ? event.getString("pinnedReason") : null;
        if (!isReported(types, reason, packages)) {
            return;
        }
        RecordedThread thread = event.getThread();
        String name = thread == null ? "?" : Objects.requireNonNullElse(thread.getJavaName(), "?");
        found.add(new Pinning(name.isEmpty() ? "(unnamed)" : name, event.getDuration(), reason, stack));
    }

    /**
     * Whether a pin is one this detector reports.
     *
     * @param types the class of each frame, innermost first
     * @param reason the event's pinned reason, or null (Java 21)
     * @param packages the watched package prefixes
     */
    static boolean isReported(List<String> types, String reason, List<String> packages) {
        if (types.stream().noneMatch(type -> isWatched(type, packages))) {
            return false;
        }
        if (reason != null && reason.startsWith(CLASS_INIT_WAIT)) {
            return false;
        }
        // A thread that blocks while the JVM loads a class for watched code (class loading runs
        // through a native frame, and waits for another thread loading the same class) is the
        // same once-per-class race as a wait for another thread's initializer.
        for (String type : types) {
            if (isWatched(type, packages)) {
                break;
            }
            if (type.equals("java.lang.ClassLoader") || type.startsWith("jdk.internal.loader.")) {
                return false;
            }
            // The flight recorder's own bookkeeping (registering an event class, pooling an
            // event's strings) runs only while a recording is on, this detector's included.
            if (type.startsWith("jdk.jfr.")) {
                return false;
            }
        }
        // Watched code blocks only by calling the JDK, so a blocking call shows as inner frames.
        // A pin whose innermost frame is watched code is the VM holding the thread at that line:
        // waiting while another thread loads, links or initializes a class the line uses. Java 25
        // reports some of those waits as "Freeze or preempt failed" instead of as a wait for
        // initialization.
        return !isWatched(types.get(0), packages);
    }

    private static boolean isWatched(String type, List<String> packages) {
        return packages.stream().anyMatch(type::startsWith);
    }
}
