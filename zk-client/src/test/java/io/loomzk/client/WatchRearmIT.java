package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.EventType;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100,000 watches across a reconnect. The server keeps its default frame limit (jute.maxbuffer,
 * 1 MiB - 1) and drops any connection that sends a larger packet, so a re-arm that succeeds is
 * proof that every SetWatches2 packet fitted; the server's own watch count ({@code wchs}) says
 * every watch is armed again.
 */
@Timeout(300)
class WatchRearmIT {
    private static final int WATCHES = 100_000;
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.builder()
                .property("4lw.commands.whitelist", "wchs,srvr")
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int serverWatchCount() throws IOException {
        String[] hostPort = server.connectString().split(":");
        try (Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            s.getOutputStream().write("wchs".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            Matcher m = Pattern.compile("Total watches:(\\d+)").matcher(reply);
            assertThat(m.find()).as(reply).isTrue();
            return Integer.parseInt(m.group(1));
        }
    }

    @Test
    void hundredThousandWatchesAreReArmedInPacketsUnderTheFrameLimitAndStillFire() throws Exception {
        Queue<String> trace = new ConcurrentLinkedQueue<>();
        String base = "/rearm-" + java.util.UUID.randomUUID();
        try (ZkProxy proxy = ZkProxy.builder(server.connectString())
                        .trace(line -> {
                            if (line.contains("SET_WATCHES") || line.contains("s->c xid=-8 ")) {
                                trace.add(line);
                            }
                        })
                        .start();
                ZkClient other = ZkClient.builder(server.connectString()).build();
                ZkClient zk = ZkClient.builder(proxy.connectString())
                        .sessionTimeout(Duration.ofSeconds(20))
                        .requestTimeout(Duration.ofSeconds(60))
                        .build()) {
            zk.create(base, null);
            zk.create(base + "/data", null);
            zk.create(base + "/kids", null);
            // 100,000 exists watches on nodes that do not exist yet: distinct long paths
            List<OneShotWatch> watches = new ArrayList<>(WATCHES);
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> setters = new ArrayList<>();
            int perThread = 1_000;
            OneShotWatch[] slots = new OneShotWatch[WATCHES];
            for (int t = 0; t < WATCHES / perThread; t++) {
                int first = t * perThread;
                setters.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = first; i < first + perThread; i++) {
                            slots[i] = zk.existsAndWatch(path(base, i)).watch();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : setters) {
                t.join();
            }
            assertThat(failures).isEmpty();
            watches.addAll(List.of(slots));
            OneShotWatch data = zk.getDataAndWatch(base + "/data").watch();
            OneShotWatch kids = zk.getChildrenAndWatch(base + "/kids").watch();
            PersistentWatch recursive = zk.addWatch(base + "/data", AddWatchMode.PERSISTENT_RECURSIVE);
            // wchs counts the distinct paths of the server's data-watch table: the 100,000 exists
            // watches and /data (its data watch and its persistent watch share the path); child
            // watches live in another table
            int armed = serverWatchCount();
            assertThat(armed).isEqualTo(WATCHES + 1);

            long session = zk.sessionId();
            proxy.cutAll();
            // while the client is away: changes its watches must still report
            other.create(path(base, 7), null);
            other.setData(base + "/data", new byte[] {1});
            assertThat(zk.awaitState(Duration.ofSeconds(10), SessionState.CONNECTED))
                    .isEqualTo(SessionState.CONNECTED);
            zk.sync("/"); // the set-watches packets precede this on the wire
            assertThat(zk.sessionId()).isEqualTo(session);

            List<String> packets =
                    trace.stream().filter(l -> l.contains("c->s")).toList();
            System.out.printf("re-armed %d watches in %d SetWatches2 packets%n", armed, packets.size());
            assertThat(packets).hasSizeGreaterThan(1);
            // replies are matched by their reserved xid: every set-watches packet has xid -8
            assertThat(trace.stream().filter(l -> l.contains("s->c xid=-8 ")).toList())
                    .hasSize(packets.size())
                    .allSatisfy(l -> assertThat(l).contains(" OK "));
            // everything is armed again but the exists watch that fired while away (/data keeps
            // its persistent watch)
            assertThat(serverWatchCount()).isEqualTo(WATCHES);

            // fired for what happened while disconnected
            assertThat(watches.get(7)
                            .await(Duration.ofSeconds(10))
                            .orElseThrow()
                            .type())
                    .isEqualTo(EventType.NODE_CREATED);
            assertThat(data.await(Duration.ofSeconds(10)).orElseThrow().type()).isEqualTo(EventType.NODE_DATA_CHANGED);
            assertThat(recursive.poll(Duration.ofSeconds(10)).orElseThrow().type())
                    .isEqualTo(EventType.NODE_DATA_CHANGED);
            // and for what happens after
            for (int i = 0; i < WATCHES; i += 997) {
                other.create(path(base, i), null);
            }
            other.create(base + "/kids/k", null);
            for (int i = 0; i < WATCHES; i += 997) {
                assertThat(watches.get(i).await(Duration.ofSeconds(10)))
                        .as("watch %d", i)
                        .isPresent();
            }
            assertThat(kids.await(Duration.ofSeconds(10)).orElseThrow().type())
                    .isEqualTo(EventType.NODE_CHILDREN_CHANGED);
            long stillWaiting = watches.stream().filter(w -> !w.isDone()).count();
            assertThat(stillWaiting).isEqualTo(WATCHES - 1 - (WATCHES + 996) / 997 + (7 % 997 == 0 ? 1 : 0));
        }
    }

    private static String path(String base, int i) {
        return base + "/a-rather-long-node-name-to-fill-packets-" + i;
    }
}
