package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.CreateRequest;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.ExistsRequest;
import io.loomzk.protocol.GetDataRequest;
import io.loomzk.protocol.GetDataResponse;
import io.loomzk.protocol.OpCode;
import io.loomzk.testing.internal.RawSession;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ZkProxyIT {
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(10);
    private static ZkServer server;

    @BeforeAll
    static void startServer() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void traceDecodesARealCreateAndGetDataExchange() throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();
        try (ZkProxy proxy =
                ZkProxy.builder(server.connectString()).trace(trace::add).start()) {
            try (ApacheClient c = ApacheClient.connect(proxy.connectString())) {
                ZkServerIT.create(c, "/traced", "hello");
                assertThat(ZkServerIT.read(c, "/traced")).isEqualTo("hello");
                assertThatThrownBy(() -> c.zk.getData("/missing", false, null))
                        .isInstanceOf(KeeperException.NoNodeException.class);
                c.zk.exists("/traced", true);
                c.zk.setData("/traced", "again".getBytes(StandardCharsets.UTF_8), -1);
            }
            String p = "\\[zk-proxy:" + proxy.port() + " #1\\] ";
            assertThat(trace)
                    .anyMatch(l -> l.matches(p + "open /127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:" + server.port()))
                    .anyMatch(l -> l.matches(p + "c->s connect ConnectRequest\\[protocolVersion=0, .*passwd=.*"))
                    .anyMatch(l -> l.matches(p + "s->c connected ConnectResponse\\[.*timeOut=10000, .*"))
                    .anyMatch(l -> l.matches(
                            p + "c->s xid=\\d+ CREATE /traced CreateRequest\\[path=/traced, data=5 bytes, .*"))
                    .anyMatch(l ->
                            l.matches(p + "s->c xid=\\d+ zxid=0x[0-9a-f]+ OK CREATE CreateResponse\\[path=/traced]"))
                    .anyMatch(l ->
                            l.matches(p + "c->s xid=\\d+ GET_DATA /traced GetDataRequest\\[path=/traced, watch=false]"))
                    .anyMatch(l -> l.matches(
                            p + "s->c xid=\\d+ zxid=0x[0-9a-f]+ OK GET_DATA GetDataResponse\\[data=5 bytes, .*"))
                    .anyMatch(l -> l.matches(p + "s->c xid=\\d+ zxid=0x[0-9a-f]+ NO_NODE\\(-101\\) GET_DATA"))
                    .anyMatch(l -> l.matches(p + "s->c xid=-1 zxid=0x[0-9a-f]+ OK NOTIFICATION NODE_DATA_CHANGED"
                            + " /traced SYNC_CONNECTED WatcherEvent\\[type=3, state=3, path=/traced]"))
                    .anyMatch(l -> l.matches(p + "c->s xid=\\d+ CLOSE_SESSION"));
            assertThat(trace).noneMatch(l -> l.contains("undecodable"));
        }
    }

    @Test
    void cutAllClosesEveryConnectionAndClientsCanReconnect() throws Exception {
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                ApacheClient a = ApacheClient.connect(proxy.connectString());
                ApacheClient b = ApacheClient.connect(proxy.connectString())) {
            assertThat(proxy.connectionCount()).isEqualTo(2);

            proxy.cutAll();

            a.awaitState(KeeperState.Disconnected, 5);
            b.awaitState(KeeperState.Disconnected, 5);
            a.awaitState(KeeperState.SyncConnected, 10);
            assertThat(a.zk.exists("/", false)).isNotNull();
        }
    }

    @Test
    void refusingNewConnectionsKeepsOpenOnesUntilResumed() throws Exception {
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                ApacheClient open = ApacheClient.connect(proxy.connectString())) {
            proxy.refuseNewConnections();

            assertThatThrownBy(() -> connect(proxy.port())).isInstanceOf(ConnectException.class);
            assertThat(open.zk.exists("/", false)).isNotNull();

            proxy.resume();
            connect(proxy.port()).close();
            try (ApacheClient late = ApacheClient.connect(proxy.connectString())) {
                assertThat(late.zk.exists("/", false)).isNotNull();
            }
        }
    }

    @Test
    void blackholeHoldsFramesWithoutClosingUntilResumed() throws Exception {
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                RawSession session = RawSession.connect(proxy.connectString(), 0, new byte[16], IO_TIMEOUT)) {
            proxy.blackhole();
            Future<RawSession.Reply> reply = CompletableFuture.supplyAsync(
                    () -> call(session, OpCode.EXISTS, new ExistsRequest("/", false)),
                    r -> Thread.ofVirtual().start(r));

            assertThatThrownBy(() -> reply.get(700, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(proxy.connectionCount()).isEqualTo(1);

            proxy.resume();
            assertThat(reply.get(5, TimeUnit.SECONDS).error()).isEqualTo(ErrorCode.OK);
        }
    }

    @Test
    void stalledConnectionsAreNeverAnsweredAndStayStalledAfterResume() throws Exception {
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                RawSession open = RawSession.connect(proxy.connectString(), 0, new byte[16], IO_TIMEOUT)) {
            proxy.stallNewConnections();
            assertThatThrownBy(() -> RawSession.connect(proxy.connectString(), 0, new byte[16], Duration.ofMillis(700)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            Socket stalled = connect(proxy.port());
            stalled.getOutputStream().write(new byte[64]); // read and dropped, never answered
            assertThat(call(open, OpCode.EXISTS, new ExistsRequest("/", false)).error())
                    .isEqualTo(ErrorCode.OK);

            proxy.resume();
            try (RawSession late = RawSession.connect(proxy.connectString(), 0, new byte[16], IO_TIMEOUT)) {
                assertThat(call(late, OpCode.EXISTS, new ExistsRequest("/", false))
                                .error())
                        .isEqualTo(ErrorCode.OK);
            }
            stalled.setSoTimeout(500);
            assertThatThrownBy(() -> stalled.getInputStream().read())
                    .isInstanceOf(java.net.SocketTimeoutException.class);

            proxy.cutAll();
            stalled.setSoTimeout(5000);
            assertThat(stalled.getInputStream().read()).isEqualTo(-1);
            stalled.close();
        }
    }

    @Test
    void delaySlowsEveryFrameUntilResumed() throws Exception {
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                RawSession session = RawSession.connect(proxy.connectString(), 0, new byte[16], IO_TIMEOUT)) {
            proxy.delay(Duration.ofMillis(300));
            long started = System.nanoTime();
            assertThat(session.call(OpCode.EXISTS, new ExistsRequest("/", false))
                            .error())
                    .isEqualTo(ErrorCode.OK);
            // One request frame and one reply frame, each delayed.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));

            proxy.resume();
            started = System.nanoTime();
            session.call(OpCode.EXISTS, new ExistsRequest("/", false));
            // well under the 600 ms of the delayed round trip, with room for a slow moment
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(550));
        }
    }

    @Test
    void cutAfterReplyToCreateAppliesTheWriteButTheClientNeverHearsOfIt() throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();
        try (ZkProxy proxy = ZkProxy.builder(server.connectString())
                        .trace(trace::add)
                        .start();
                RawSession session = RawSession.connect(proxy.connectString(), 0, new byte[16], IO_TIMEOUT)) {
            ZkProxy.Trigger cut = proxy.cutAfterReplyTo(OpCode.CREATE);

            // Other op codes pass.
            assertThat(session.call(OpCode.GET_DATA, new GetDataRequest("/zookeeper", false))
                            .body())
                    .isInstanceOf(GetDataResponse.class);
            assertThat(cut.hasFired()).isFalse();

            byte[] data = "applied".getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(
                            () -> session.call(OpCode.CREATE, new CreateRequest("/cut", data, RawSession.OPEN_ACL, 0)))
                    .isInstanceOf(IOException.class);
            assertThat(cut.await(Duration.ofSeconds(5))).isTrue();
            // the trigger fires as the link closes; the "closed" line follows a moment later
            awaitLine(trace, l -> l.contains(" closed: cut after the reply"));
            assertThat(proxy.connectionCount()).isZero();
            assertThat(trace).anyMatch(l -> l.contains("s->c xid=2 zxid=0x") && l.contains("OK CREATE"));
            assertThat(trace)
                    .anyMatch(l -> l.endsWith("closed: cut after the reply to xid 2 of [CREATE] (reply dropped)"));

            try (RawSession direct = RawSession.connect(server.connectString(), 0, new byte[16], IO_TIMEOUT)) {
                assertThat(direct.call(OpCode.EXISTS, new ExistsRequest("/cut", false))
                                .error())
                        .isEqualTo(ErrorCode.OK);
            }
        }
    }

    @Test
    void aCutCanWaitForAnyOfSeveralOpCodes() throws Exception {
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                RawSession session = RawSession.connect(proxy.connectString(), 0, new byte[16], IO_TIMEOUT)) {
            ZkProxy.Trigger cut = proxy.cutAfterReplyTo(OpCode.CREATE, OpCode.CREATE2);
            assertThat(cut.ops()).containsExactlyInAnyOrder(OpCode.CREATE, OpCode.CREATE2);
            assertThatThrownBy(() -> session.call(
                            OpCode.CREATE2, new CreateRequest("/cut2", new byte[0], RawSession.OPEN_ACL, 0)))
                    .isInstanceOf(IOException.class);
            assertThat(cut.hasFired()).isTrue();
        }
    }

    @Test
    void cutAfterReplyFiresOnceAndTheApacheClientSeesConnectionLoss() throws Exception {
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                ApacheClient c = ApacheClient.connect(proxy.connectString())) {
            ZkProxy.Trigger cut = proxy.cutAfterReplyTo(OpCode.SET_DATA);
            ZkServerIT.create(c, "/set", "v0");

            assertThatThrownBy(() -> c.zk.setData("/set", "v1".getBytes(StandardCharsets.UTF_8), -1))
                    .isInstanceOf(KeeperException.ConnectionLossException.class);
            assertThat(cut.hasFired()).isTrue();

            c.awaitState(KeeperState.SyncConnected, 10);
            assertThat(ZkServerIT.read(c, "/set")).isEqualTo("v1");
            c.zk.setData("/set", "v2".getBytes(StandardCharsets.UTF_8), -1);
            assertThat(ZkServerIT.read(c, "/set")).isEqualTo("v2");
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return s;
    }

    private static RawSession.Reply call(RawSession session, OpCode op, io.loomzk.protocol.Request body) {
        try {
            return session.call(op, body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitLine(List<String> trace, java.util.function.Predicate<String> line)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (trace.stream().noneMatch(line) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
