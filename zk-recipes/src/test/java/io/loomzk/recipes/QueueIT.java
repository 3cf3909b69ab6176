package io.loomzk.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Op;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.recipes.queue.SimpleDistributedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ZkQueue} on a real server: order, Curator interop, and exactly-once acknowledgement under faults. */
@ZkTest(failOnPinning = false) // Curator's code runs here too; ManyThreadsIT judges pinning
@Timeout(200)
class QueueIT {
    private TestFleet fleet;
    private ZkServer server;
    private String chroot;

    @BeforeEach
    void setUp(ZkServer server, @ZkConnectString String connectString) {
        this.server = server;
        this.chroot = connectString.substring(connectString.indexOf('/'));
        fleet = new TestFleet(connectString);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void itemsComeOutInOrderAndCuratorsSimpleQueueSharesTheLayout() throws Exception {
        ZkQueue ours = ZkQueue.of(fleet.loom(), "/q/simple");
        SimpleDistributedQueue theirs = new SimpleDistributedQueue(fleet.curator(), "/q/simple");
        for (int i = 0; i < 5; i++) {
            assertThat(theirs.offer(bytes("c" + i))).isTrue();
        }
        for (int i = 0; i < 5; i++) {
            assertThat(ours.take(Duration.ofSeconds(5)).map(d -> new String(d, UTF_8)))
                    .hasValue("c" + i);
        }
        for (int i = 0; i < 5; i++) {
            ours.offer(bytes("l" + i));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(new String(theirs.poll(5, TimeUnit.SECONDS), UTF_8)).isEqualTo("l" + i);
        }
        assertThat(ours.take(Duration.ofMillis(200))).isEmpty();
        CompletableFuture<Optional<byte[]>> waiting = TestFleet.async("taker", () -> ours.take(Duration.ofSeconds(30)));
        Thread.sleep(200);
        theirs.offer(bytes("late"));
        assertThat(waiting.get(30, TimeUnit.SECONDS).map(d -> new String(d, UTF_8)))
                .hasValue("late");
    }

    @Test
    void claimsAreExclusiveInOrderAndAClaimGivenBackOrOrphanedIsHandedOutAgain() throws Exception {
        ZkClient a = fleet.loom();
        ZkQueue qa = ZkQueue.of(a, "/q/claims").withConsumerId("a");
        ZkQueue qb = ZkQueue.of(fleet.loom(), "/q/claims").withConsumerId("b");
        for (int i = 0; i < 3; i++) {
            qa.offer(bytes("item-" + i));
        }
        ZkQueue.Delivery first = qa.claim(Duration.ofSeconds(5)).orElseThrow();
        ZkQueue.Delivery second = qb.claim(Duration.ofSeconds(5)).orElseThrow();
        assertThat(first.data()).isEqualTo(bytes("item-0"));
        assertThat(second.data()).isEqualTo(bytes("item-1"));
        second.close(); // given back: the next claim gets it again, before item-2
        ZkQueue.Delivery again = qb.claim(Duration.ofSeconds(5)).orElseThrow();
        assertThat(again.item()).isEqualTo(second.item());
        assertThat(again.ack()).isTrue();

        // a consumer whose session ends before acknowledging: its item is handed out again
        Sessions.expire(server.connectString(), a.sessionId(), a.sessionPassword());
        ZkQueue.Delivery orphan = qb.claim(Duration.ofSeconds(10)).orElseThrow();
        assertThat(orphan.item()).isEqualTo(first.item());
        assertThat(first.ack()).as("the dead consumer's ack is refused").isFalse();
        assertThat(orphan.ack(List.of(Op.create("/done-" + orphan.item(), null, CreateOptions.persistent()))))
                .isTrue();
        assertThat(fleet.loom().exists("/done-" + orphan.item())).isPresent();

        ZkQueue.Delivery last = qb.claim(Duration.ofSeconds(5)).orElseThrow();
        assertThat(last.data()).isEqualTo(bytes("item-2"));
        assertThat(qb.claim(Duration.ofMillis(300)))
                .as("the only item is claimed")
                .isEmpty();
        CompletableFuture<Optional<ZkQueue.Delivery>> waiter =
                TestFleet.async("claimer", () -> qb.claim(Duration.ofSeconds(30)));
        Thread.sleep(200);
        last.close(); // wakes the waiter through the claims directory
        ZkQueue.Delivery handedBack = waiter.get(30, TimeUnit.SECONDS).orElseThrow();
        assertThat(handedBack.item()).isEqualTo(last.item());
        assertThat(handedBack.ack()).isTrue();
        assertThat(qb.items()).isEmpty();
    }

    /**
     * At most once: consumers take 300 items while their connections are cut and sessions expired;
     * no item may reach two consumers. Losses are allowed in this mode and reported.
     */
    @Test
    void takeHandsNoItemToTwoConsumersUnderCutsAndExpiries() throws Exception {
        int itemCount = 300;
        ZkQueue queue = ZkQueue.of(fleet.loom(), "/q/amo");
        for (int i = 0; i < itemCount; i++) {
            queue.offer(bytes(Integer.toString(i)));
        }
        ZkProxy proxy = ZkProxy.builder(server.connectString()).chroot(chroot).start();
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> received =
                new java.util.concurrent.ConcurrentHashMap<>();
        List<ZkClient> clients = new ArrayList<>();
        List<CompletableFuture<Integer>> workers = new ArrayList<>();
        int faults = 0;
        try {
            for (int c = 0; c < 4; c++) {
                ZkClient client = fleet.loom(proxy.connectString(), Duration.ofSeconds(4));
                clients.add(client);
                ZkQueue q = ZkQueue.of(client, "/q/amo");
                workers.add(TestFleet.async("taker-" + c, () -> {
                    while (!stop.get()) {
                        try {
                            Optional<byte[]> item = q.take(Duration.ofMillis(500));
                            item.ifPresent(d -> received.computeIfAbsent(new String(d, UTF_8), k -> new AtomicInteger())
                                    .incrementAndGet());
                            Thread.sleep(ThreadLocalRandom.current().nextInt(10));
                        } catch (ZkException e) {
                            if (e.isTerminal()) {
                                if (client.state() == io.loomzk.client.SessionState.CLOSED) {
                                    return 0;
                                }
                                client.startNewSession();
                            }
                        }
                    }
                    return 0;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !queue.items().isEmpty()) {
                Thread.sleep(100);
                if (faults++ % 2 == 0) {
                    proxy.cutAll();
                } else {
                    ZkClient victim = clients.get(ThreadLocalRandom.current().nextInt(clients.size()));
                    if (victim.state().isConnected()) {
                        Sessions.expire(server.connectString(), victim.sessionId(), victim.sessionPassword());
                    }
                }
            }
            stop.set(true);
            for (CompletableFuture<Integer> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            long twice = received.values().stream().filter(n -> n.get() > 1).count();
            int lost = itemCount - received.size() - queue.items().size();
            System.out.printf(
                    "queue at-most-once: %d items, %d received, %d faults, %d received twice, %d lost (allowed)%n",
                    itemCount, received.size(), faults, twice, lost);
            assertThat(twice).as("items handed to two consumers").isZero();
            assertThat(queue.items()).isEmpty();
        } finally {
            stop.set(true);
            proxy.close();
        }
    }

    /**
     * Consumers claim and acknowledge 300 items, each ack creating a {@code /done/<item>-} node in the
     * same transaction, while their sessions are expired (some right after a claim, before the
     * ack: a consumer that dies mid-item) and their connections cut. Every item must be acknowledged
     * exactly once: one done node per item, none missing.
     */
    @Test
    void everyItemIsAcknowledgedExactlyOnceWhileConsumersDieAndConnectionsDrop() throws Exception {
        int itemCount = 300;
        int consumers = 4;
        ZkClient producer = fleet.loom();
        ZkQueue queue = ZkQueue.of(producer, "/q/faults");
        for (int i = 0; i < itemCount; i++) {
            queue.offer(bytes(Integer.toString(i)));
        }
        producer.create("/done", null);
        ZkProxy proxy = ZkProxy.builder(server.connectString()).chroot(chroot).start();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger deathsMidItem = new AtomicInteger();
        AtomicInteger expiries = new AtomicInteger();
        AtomicInteger cuts = new AtomicInteger();
        List<ZkClient> clients = new ArrayList<>();
        List<CompletableFuture<Integer>> workers = new ArrayList<>();
        try {
            for (int c = 0; c < consumers; c++) {
                ZkClient client = fleet.loom(proxy.connectString(), Duration.ofSeconds(4));
                clients.add(client);
                ZkQueue q = ZkQueue.of(client, "/q/faults").withConsumerId("consumer-" + c);
                workers.add(TestFleet.async("consumer-" + c, () -> {
                    while (!stop.get()) {
                        try {
                            Optional<ZkQueue.Delivery> d = q.claim(Duration.ofSeconds(1));
                            if (d.isEmpty()) {
                                continue;
                            }
                            if (ThreadLocalRandom.current().nextInt(25) == 0) {
                                // dies holding the item: the server ends its session
                                Sessions.expire(server.connectString(), client.sessionId(), client.sessionPassword());
                                deathsMidItem.incrementAndGet();
                                continue;
                            }
                            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 25)); // processing
                            Op done = Op.create(
                                    "/done/" + d.get().item() + "-", null, CreateOptions.persistentSequential());
                            if (d.get().ack(List.of(done))) {
                                acked.incrementAndGet();
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (ZkException e) {
                            if (e.isTerminal()) {
                                if (client.state() == io.loomzk.client.SessionState.CLOSED) {
                                    return 0;
                                }
                                client.startNewSession();
                            }
                            // transient: go on
                        }
                    }
                    return 0;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            ZkClient observer = fleet.loom();
            int round = 0;
            while (System.nanoTime() < deadline
                    && observer.getChildren("/done").names().size() < itemCount) {
                Thread.sleep(150);
                if (round++ % 3 == 0) {
                    proxy.cutAll();
                    cuts.incrementAndGet();
                } else {
                    ZkClient victim = clients.get(ThreadLocalRandom.current().nextInt(consumers));
                    if (victim.state().isConnected()) {
                        Sessions.expire(server.connectString(), victim.sessionId(), victim.sessionPassword());
                        expiries.incrementAndGet();
                    }
                }
                if (queue.items().isEmpty()) {
                    break;
                }
            }
            stop.set(true);
            for (CompletableFuture<Integer> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            Map<String, Integer> perItem = new HashMap<>();
            for (String name : observer.getChildren("/done").names()) {
                perItem.merge(name.substring(0, name.length() - 10), 1, Integer::sum);
            }
            long duplicates = perItem.values().stream().filter(n -> n > 1).count();
            List<String> left = queue.items();
            long lost = itemCount - perItem.size() - left.size();
            System.out.printf(
                    "queue exactly-once: %d items, %d acked, %d acks refused, %d deaths mid-item, %d expiries, %d cuts,"
                            + " %d duplicates, %d lost, %d still queued%n",
                    itemCount,
                    acked.get(),
                    refused.get(),
                    deathsMidItem.get(),
                    expiries.get(),
                    cuts.get(),
                    duplicates,
                    lost,
                    left.size());
            assertThat(duplicates).as("items acknowledged twice").isZero();
            assertThat(lost).as("items neither acknowledged nor queued").isZero();
            assertThat(left).as("items never acknowledged within the time").isEmpty();
            assertThat(deathsMidItem.get() + expiries.get()).isPositive();
        } finally {
            stop.set(true);
            proxy.close();
        }
    }
}
