package io.loomzk.micrometer;

import io.loomzk.client.ClientMetricsListener;
import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
import io.loomzk.protocol.OpCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ClientMetricsListener} that keeps a client's facts as Micrometer meters. Give it to
 * the builder, then bind it to the client it built (for the watch gauge):
 *
 * <pre>{@code
 * ZkClientMetrics metrics = new ZkClientMetrics(registry, Tags.of("client", "orders"));
 * ZkClient zk = ZkClient.builder(connectString).metricsListener(metrics).build();
 * metrics.bindTo(zk);
 * }</pre>
 *
 * <p>Meters (every one carries the tags given to the constructor):
 * <ul>
 *   <li>{@code zk.client.calls} (timer), tags {@code operation} (an {@code OpCode} name) and
 *       {@code outcome} ({@code OK}, a server error such as {@code NO_NODE}, or
 *       {@code CONNECTION_LOSS}, {@code REQUEST_TIMEOUT}, ...): one per call, waiting for a
 *       connection included.
 *   <li>{@code zk.client.calls.in.flight} (gauge): calls started and not yet ended.
 *   <li>{@code zk.client.watches} (gauge): watches the servers hold for the session (after
 *       {@link #bindTo}; NaN before).
 *   <li>{@code zk.client.session.state} (gauge), tag {@code state}: 1 for the current state, 0
 *       for the others.
 *   <li>{@code zk.client.reconnects} (counter): a suspended session connected again.
 *   <li>{@code zk.client.session.expirations} (counter): the session expired.
 *   <li>{@code zk.client.connection.attempts} (timer), tag {@code outcome} ({@code OK} or the
 *       exception's simple name).
 *   <li>{@code zk.client.watch.rearms} (distribution summary): watches set again per new
 *       connection.
 *   <li>{@code zk.client.slow.consumers} (counter), tag {@code kind} ({@code PERSISTENT_WATCH} or
 *       {@code STATE_LISTENER}): consumers reported as falling behind (the path is in the
 *       client's WARNING, not in a tag: paths are unbounded).
 * </ul>
 *
 * <p>One instance serves one client (its gauges describe one session). Thread-safe; a call's
 * report is two map reads and a timer update, with no lock.
 */
public final class ZkClientMetrics implements ClientMetricsListener {
    private final MeterRegistry registry;
    private final Tags tags;
    /** Timers by operation, then outcome: registered on first use, then read without the registry. */
    private final Map<OpCode, Map<String, Timer>> calls = new EnumMap<>(OpCode.class);

    private final Map<String, Timer> attempts = new ConcurrentHashMap<>();
    private final Map<String, Counter> slowConsumers = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<SessionState> state = new AtomicReference<>(SessionState.CONNECTING);
    private final Counter reconnects;
    private final Counter expirations;
    private final DistributionSummary rearms;

    /** Meters with no extra tags. */
    public ZkClientMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * @param tags added to every meter, e.g. {@code client=orders} to tell several clients apart
     */
    public ZkClientMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(tags);
        for (OpCode op : OpCode.values()) {
            calls.put(op, new ConcurrentHashMap<>());
        }
        Gauge.builder("zk.client.calls.in.flight", inFlight, AtomicInteger::get)
                .tags(this.tags)
                .description("LoomZK calls started and not yet ended")
                .register(registry);
        for (SessionState s : SessionState.values()) {
            Gauge.builder("zk.client.session.state", state, r -> r.get() == s ? 1 : 0)
                    .tags(this.tags)
                    .tag("state", s.name())
                    .description("1 for the LoomZK session's current state, 0 for the others")
                    .register(registry);
        }
        reconnects = Counter.builder("zk.client.reconnects")
                .tags(this.tags)
                .description("A suspended LoomZK session connected again")
                .register(registry);
        expirations = Counter.builder("zk.client.session.expirations")
                .tags(this.tags)
                .description("The LoomZK session expired")
                .register(registry);
        rearms = DistributionSummary.builder("zk.client.watch.rearms")
                .tags(this.tags)
                .baseUnit("watches")
                .description("Watches set again on a new connection")
                .register(registry);
    }

    /**
     * Registers the gauge that needs the client itself ({@code zk.client.watches}). The gauge
     * holds the client weakly, like Micrometer's own gauges.
     *
     * @return this
     */
    public ZkClientMetrics bindTo(ZkClient client) {
        Objects.requireNonNull(client, "client");
        Gauge.builder("zk.client.watches", client, ZkClient::watchCount)
                .tags(tags)
                .description("Watches the servers hold for the LoomZK session")
                .register(registry);
        return this;
    }

    @Override
    public void callStarted(OpCode op) {
        inFlight.incrementAndGet();
    }

    @Override
    public void callCompleted(OpCode op, String outcome, long nanos) {
        inFlight.decrementAndGet();
        Map<String, Timer> byOutcome = calls.get(op);
        Timer timer = byOutcome.get(outcome);
        if (timer == null) {
            timer = byOutcome.computeIfAbsent(
                    outcome,
                    o -> Timer.builder("zk.client.calls")
                            .tags(tags)
                            .tag("operation", op.name())
                            .tag("outcome", o)
                            .description("LoomZK calls, waiting for a connection included")
                            .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void connectionAttempt(InetSocketAddress server, String outcome, long nanos) {
        attempts.computeIfAbsent(
                        outcome,
                        o -> Timer.builder("zk.client.connection.attempts")
                                .tags(tags)
                                .tag("outcome", o)
                                .description("LoomZK connection attempts: TCP connect and handshake")
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void stateChanged(SessionState next) {
        SessionState previous = state.getAndSet(next);
        if (next.isConnected() && previous == SessionState.SUSPENDED) {
            reconnects.increment();
        } else if (next == SessionState.EXPIRED) {
            expirations.increment();
        }
    }

    @Override
    public void watchesRearmed(int watches, int requests, long nanos) {
        rearms.record(watches);
    }

    @Override
    public void slowConsumer(String kind, String path, int backlog, long backlogBytes, long stalledNanos) {
        slowConsumers
                .computeIfAbsent(
                        kind,
                        k -> Counter.builder("zk.client.slow.consumers")
                                .tags(tags)
                                .tag("kind", k)
                                .description(
                                        "LoomZK consumers reported as falling behind (once per backlog until it drains)")
                                .register(registry))
                .increment();
    }
}
