package io.loomzk.recipes;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.NodeData;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.Watched;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.Stat;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A counter in one persistent node, versioned by the node's data version: read it, set it only if
 * nobody changed it since ({@link #compareAndSet}), add to it ({@link #addAndGet}), and wait for it
 * to change ({@link #awaitChange}).
 *
 * <pre>{@code
 * SharedCounter jobs = SharedCounter.atomicLong(zk, "/stats/jobs");
 * long total = jobs.addAndGet(1);
 * SharedCounter.Versioned seen = jobs.get();
 * boolean won = jobs.compareAndSet(seen, seen.value() * 2);   // false if someone changed it meanwhile
 * }</pre>
 *
 * <h2>Byte formats (interoperability)</h2>
 * <ul>
 *   <li>{@link #sharedCount}: a 4-byte big-endian {@code int}, as Apache Curator's {@code SharedCount}
 *       stores it; a missing node reads as the seed value (Curator creates the node with its seed when
 *       a {@code SharedCount} starts; here the first write creates it).
 *   <li>{@link #atomicLong}: an 8-byte big-endian {@code long}, as Curator's
 *       {@code DistributedAtomicLong} stores it; a missing node or empty data reads as 0.
 * </ul>
 * Data of any other length is a {@link CounterFormatException}, never a guessed value. The node is
 * persistent; missing ancestors are created as container nodes.
 *
 * <h2>Errors and connection loss</h2>
 * Every method blocks for at most a few client calls (each bounded by the client's request timeout).
 * Failures are the client's {@link ZkException}s. A write whose reply was lost throws
 * {@link ZkException.ConnectionLoss} with {@link ZkException#mayHaveBeenApplied()} true: the
 * change may or may not have happened, and it is not repeated, because repeating an increment could
 * count it twice. Client calls interrupted throw {@link ZkException.Interrupted} (flag kept).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SharedCounter {
    /** How the value is stored. */
    private enum Encoding {
        INT32,
        INT64
    }

    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * A value as read, with what identifies that write.
     *
     * @param value the counter's value
     * @param version the node's data version, or -1 if the node does not exist
     * @param zxid the zxid of the write that produced it (the node's mzxid), or 0 if the node does
     *     not exist; it tells a re-created node from the old one even when value and version match
     */
    public record Versioned(long value, int version, long zxid) {
        /** Whether the counter's node exists. */
        public boolean exists() {
            return version >= 0;
        }
    }

    private final ZkClient client;
    private final String path;
    private final Encoding encoding;
    private final long absentValue;

    private SharedCounter(ZkClient client, String path, Encoding encoding, long absentValue) {
        this.client = Objects.requireNonNull(client, "client");
        this.path = Names.checkRecipePath(path);
        this.encoding = encoding;
        this.absentValue = absentValue;
    }

    /**
     * A 32-bit counter stored as Curator's {@code SharedCount} stores it; a missing node reads as
     * {@code seed}.
     *
     * @throws IllegalArgumentException for a malformed path
     */
    public static SharedCounter sharedCount(ZkClient client, String path, int seed) {
        return new SharedCounter(client, path, Encoding.INT32, seed);
    }

    /**
     * A 64-bit counter stored as Curator's {@code DistributedAtomicLong} stores it; a missing node
     * reads as 0.
     *
     * @throws IllegalArgumentException for a malformed path
     */
    public static SharedCounter atomicLong(ZkClient client, String path) {
        return new SharedCounter(client, path, Encoding.INT64, 0);
    }

    /** The counter's path. */
    public String path() {
        return path;
    }

    /**
     * Reads the counter (one read).
     *
     * @throws CounterFormatException if the node holds data this format cannot read
     */
    public Versioned get() {
        try {
            return versioned(client.getData(path));
        } catch (ZkException.NoNode e) {
            return new Versioned(absentValue, -1, 0);
        }
    }

    /**
     * Sets the counter to {@code newValue} if it is still as {@code expected} left it (same data
     * version; for an absent node: still absent). One write.
     *
     * @return true if set; false if someone changed (or created, or deleted) it since
     * @throws IllegalArgumentException if {@code newValue} does not fit a 32-bit counter
     * @throws ZkException.ConnectionLoss if the reply was lost ({@code mayHaveBeenApplied()})
     */
    public boolean compareAndSet(Versioned expected, long newValue) {
        Objects.requireNonNull(expected, "expected");
        byte[] data = encode(newValue);
        try {
            if (!expected.exists()) {
                Parents.create(client, path, data, CreateOptions.persistent());
            } else {
                client.setData(path, data, expected.version());
            }
            return true;
        } catch (ZkException.NodeExists | ZkException.BadVersion | ZkException.NoNode e) {
            return false;
        }
    }

    /**
     * Sets the counter whatever it holds (creating its node if missing).
     *
     * @throws IllegalArgumentException if {@code value} does not fit a 32-bit counter
     */
    public void set(long value) {
        byte[] data = encode(value);
        for (int attempt = 0; ; attempt++) {
            try {
                client.setData(path, data, -1);
                return;
            } catch (ZkException.NoNode e) {
                try {
                    Parents.create(client, path, data, CreateOptions.persistent());
                    return;
                } catch (ZkException.NodeExists raced) {
                    if (attempt >= 3) {
                        throw raced;
                    }
                }
            }
        }
    }

    /** Adds 1; see {@link #addAndGet(long)}. */
    public long increment() {
        return addAndGet(1);
    }

    /**
     * Adds {@code delta} atomically: reads, then writes conditionally on the version read, again
     * after every conflicting write (with a short random pause), until it succeeds or the client's
     * request timeout has passed since the call began.
     *
     * @return the value after this addition
     * @throws ArithmeticException if the sum overflows the counter's width (nothing is written)
     * @throws ZkException.RequestTimeout if other writers kept winning for the whole request timeout
     *     ({@code mayHaveBeenApplied()} false: nothing of this call was applied)
     * @throws ZkException.ConnectionLoss if a write's reply was lost ({@code mayHaveBeenApplied()}
     *     true); it is not retried, see the class comment
     */
    public long addAndGet(long delta) {
        long deadline = Deadlines.after(client.requestTimeout());
        long backoff = TimeUnit.MILLISECONDS.toNanos(1);
        int conflicts = 0;
        while (true) {
            Versioned current = get();
            long next = Math.addExact(current.value(), delta);
            if (encoding == Encoding.INT32) {
                Math.toIntExact(next);
            }
            if (compareAndSet(current, next)) {
                return next;
            }
            conflicts++;
            if (Deadlines.passed(deadline)) {
                throw new ZkException.RequestTimeout(
                        path, false, conflicts + " conflicting writes within the request timeout; nothing applied");
            }
            long pause = ThreadLocalRandom.current().nextLong(backoff + 1);
            try {
                TimeUnit.NANOSECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZkException.Interrupted(path, false);
            }
            backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
        }
    }

    /**
     * Blocks until the counter differs from {@code seen} (another write, or its node created or
     * deleted), or the timeout passes. Watches the node; a change made while disconnected is seen
     * after the reconnect.
     *
     * @return the new value, or empty if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     * @throws ZkException.SessionExpired or {@link ZkException.Closed} if the session ends
     * @throws CounterFormatException if the node holds data this format cannot read
     */
    public Optional<Versioned> awaitChange(Versioned seen, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(seen, "seen");
        long deadline = Deadlines.after(Objects.requireNonNull(timeout, "timeout"));
        while (true) {
            Versioned now;
            OneShotWatch watch;
            try {
                Watched<NodeData> read = client.getDataAndWatch(path);
                watch = read.watch();
                try {
                    now = versioned(read.value());
                } catch (CounterFormatException e) {
                    watch.cancel();
                    throw e;
                }
            } catch (ZkException.NoNode e) {
                Watched<Optional<Stat>> read = client.existsAndWatch(path);
                watch = read.watch();
                if (read.value().isPresent()) {
                    watch.cancel();
                    continue; // created meanwhile: read it
                }
                now = new Versioned(absentValue, -1, 0);
            } catch (ZkException.Interrupted e) {
                throw Failures.interrupted("watching " + path, e);
            }
            if (!now.equals(seen)) {
                watch.cancel();
                return Optional.of(now);
            }
            boolean fired = false;
            try {
                long remaining = Deadlines.remaining(deadline);
                fired = remaining > 0
                        && watch.await(Duration.ofNanos(remaining)).isPresent();
            } finally {
                if (!fired) {
                    watch.cancel();
                }
            }
            if (!fired) {
                return Optional.empty();
            }
        }
    }

    private Versioned versioned(NodeData data) {
        return new Versioned(
                decode(data.data()), data.stat().version(), data.stat().mzxid());
    }

    private long decode(byte[] data) {
        int length = data == null ? 0 : data.length;
        return switch (encoding) {
            case INT32 -> {
                if (length != Integer.BYTES) {
                    throw new CounterFormatException(path, length, Integer.BYTES);
                }
                yield ByteBuffer.wrap(data).getInt();
            }
            case INT64 -> {
                if (length == 0) {
                    yield 0;
                }
                if (length != Long.BYTES) {
                    throw new CounterFormatException(path, length, Long.BYTES);
                }
                yield ByteBuffer.wrap(data).getLong();
            }
        };
    }

    private byte[] encode(long value) {
        return switch (encoding) {
            case INT32 -> {
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("a 32-bit counter cannot hold " + value + " (" + path + ")");
                }
                yield ByteBuffer.allocate(Integer.BYTES).putInt((int) value).array();
            }
            case INT64 -> ByteBuffer.allocate(Long.BYTES).putLong(value).array();
        };
    }

    @Override
    public String toString() {
        return "SharedCounter[" + path + ", " + encoding + "]";
    }
}
