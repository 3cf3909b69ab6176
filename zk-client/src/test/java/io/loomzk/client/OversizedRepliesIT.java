package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.Frames;
import io.loomzk.protocol.SetDataRequest;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replies near and over the frame limit, against a real server, each with 100 unrelated callers
 * on other threads that must all succeed: a big reply fails only its own call, and the
 * connection (and session) carry on.
 */
@ZkTest
@Timeout(240)
class OversizedRepliesIT {
    private static final int CALLERS = 100;
    /** Each background caller stops after this many calls, or sooner when the test is done. */
    private static final int MAX_CALLS_PER_CALLER = 2_000;

    /**
     * 100 threads calling {@code getData} on their own nodes in a loop, from before the test's
     * own call until after it returns. Every call must succeed.
     */
    private static final class Bystanders implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        private final AtomicInteger calls = new AtomicInteger();
        private final CountDownLatch started = new CountDownLatch(CALLERS);
        private final CountDownLatch done = new CountDownLatch(CALLERS);
        private final Queue<SessionState> transitions = new ConcurrentLinkedQueue<>();

        Bystanders(ZkClient zk) throws InterruptedException {
            zk.addStateListener(transitions::add);
            zk.create("/bystanders", null);
            for (int i = 0; i < CALLERS; i++) {
                String path = "/bystanders/b" + i;
                zk.create(path, path.getBytes(StandardCharsets.UTF_8));
                Thread.ofVirtual().name("bystander-" + i).start(() -> {
                    try {
                        byte[] expected = path.getBytes(StandardCharsets.UTF_8);
                        for (int n = 0; n < MAX_CALLS_PER_CALLER && (n == 0 || !stop.get()); n++) {
                            if (!Arrays.equals(zk.getData(path).data(), expected)) {
                                throw new AssertionError("wrong data for " + path);
                            }
                            calls.incrementAndGet();
                            if (n == 0) {
                                started.countDown();
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                        started.countDown();
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            assertThat(done.await(60, TimeUnit.SECONDS))
                    .as("the bystanders finish")
                    .isTrue();
            assertThat(failures).as("no bystander call fails").isEmpty();
            assertThat(calls.get()).isGreaterThanOrEqualTo(CALLERS);
            assertThat(transitions).as("the connection never dropped").isEmpty();
        }
    }

    /**
     * A client in a fresh chroot with a short name ({@code @ZkConnectString}'s are long), so that
     * 10,000 creates fit in one request as in the issue: 41-character names under {@code /c/m}.
     */
    private static ZkClient client(ZkServer server, String chroot) {
        try (ZkClient root = ZkClient.builder(server.connectString()).build()) {
            root.create(chroot, null);
        }
        return ZkClient.builder(server.connectString() + chroot).build();
    }

    /** A 41-character name, distinct per index. */
    private static String name(int i) {
        return String.format("node-%036d", i);
    }

    private static List<Op> creates(String parent, int count, boolean returnStat) {
        List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String path = parent + "/" + name(i);
            ops.add(
                    returnStat
                            ? Op.createWithStat(path, null, CreateOptions.persistent())
                            : Op.create(path, null, CreateOptions.persistent()));
        }
        return ops;
    }

    @Test
    void aMultiOfTenThousandCreatesSucceedsWithBystandersInFlight(ZkServer server) throws Exception {
        try (ZkClient zk = client(server, "/c1")) {
            zk.create("/m", null);
            List<OpResult> results;
            try (Bystanders bystanders = new Bystanders(zk)) {
                results = zk.multi(creates("/m", 10_000, false));
            }
            assertThat(results).hasSize(10_000);
            assertThat(results.get(9_999))
                    .isEqualTo(new OpResult.CreateResult("/m/" + name(9_999), null)); // no Stat asked for
            assertThat(zk.getAllChildrenNumber("/m")).isEqualTo(10_000);
        }
    }

    @Test
    void aMultiWhoseStatsMakeTheReplyTooLargeFailsAloneAndSaysItWasApplied(ZkServer server) throws Exception {
        try (ZkClient zk = client(server, "/c2")) {
            zk.create("/m", null);
            long session = zk.sessionId();
            try (Bystanders bystanders = new Bystanders(zk)) {
                assertThatThrownBy(() -> zk.multi(creates("/m", 10_000, true)))
                        .isInstanceOfSatisfying(ZkException.ReplyTooLarge.class, e -> {
                            assertThat(e.mayHaveBeenApplied()).isTrue();
                            assertThat(e.limitBytes())
                                    .isEqualTo(Frames.maxReplyFrameBytes(Frames.DEFAULT_MAX_FRAME_BYTES));
                            assertThat(e.replyBytes()).isGreaterThan(e.limitBytes());
                            assertThat(e.getMessage())
                                    .contains(String.valueOf(e.limitBytes()))
                                    .contains("may have been applied");
                        });
                assertThat(zk.getAllChildrenNumber("/m"))
                        .as("the server applied it")
                        .isEqualTo(10_000);
            }
            assertThat(zk.sessionId()).isEqualTo(session);
            List<OpResult> few = zk.multi(creates("/m/" + name(0), 3, true));
            assertThat(((OpResult.CreateResult) few.get(0)).stat()).isNotNull();
        }
    }

    @Test
    void theLargestDataTheClientWritesIsReadableWithTheSameSettings(@ZkConnectString String connectString)
            throws Exception {
        try (ZkClient zk = ZkClient.builder(connectString).build()) {
            zk.create("/big", null);
            String serverPath = connectString.substring(connectString.indexOf('/')) + "/big";
            int overhead =
                    Frames.requestFrameBytes(new SetDataRequest(serverPath, new byte[0], -1)) - Frames.LENGTH_BYTES;
            int largest = Frames.DEFAULT_MAX_FRAME_BYTES - overhead;
            byte[] data = new byte[largest];
            Arrays.fill(data, (byte) 'x');
            assertThatThrownBy(() -> zk.setData("/big", new byte[largest + 1]))
                    .isInstanceOf(IllegalArgumentException.class);
            try (Bystanders bystanders = new Bystanders(zk)) {
                zk.setData("/big", data);
                NodeData read = zk.getData("/big");
                assertThat(read.data()).isEqualTo(data);
                assertThat(read.stat().dataLength()).isEqualTo(largest);
                assertThat(zk.getDataAndWatch("/big").value().data()).hasSize(largest);
                assertThat(zk.multiRead(ReadOp.getData("/big")).get(0))
                        .isInstanceOfSatisfying(
                                OpResult.GetDataResult.class,
                                r -> assertThat(r.node().data()).hasSize(largest));
            }
        }
    }

    @Test
    void aSequentialCreateWithTheLongestNameIsAnsweredAndItsParentListed(@ZkConnectString String connectString)
            throws Exception {
        try (ZkClient zk = ZkClient.builder(connectString).build()) {
            zk.create("/seq", null);
            String chroot = connectString.substring(connectString.indexOf('/'));
            String prefix = "/seq/";
            int overhead = Frames.requestFrameBytes(new io.loomzk.protocol.CreateRequest(
                            chroot + prefix,
                            null,
                            Acls.OPEN_UNSAFE,
                            CreateOptions.persistentSequential().mode().flag()))
                    - Frames.LENGTH_BYTES;
            String name = "s".repeat(Frames.DEFAULT_MAX_FRAME_BYTES - overhead);
            assertThatThrownBy(() -> zk.create(prefix + name + "s", null, CreateOptions.persistentSequential()))
                    .isInstanceOf(IllegalArgumentException.class);
            try (Bystanders bystanders = new Bystanders(zk)) {
                Created created = zk.create(prefix + name, null, CreateOptions.persistentSequential());
                assertThat(created.path()).hasSize(prefix.length() + name.length() + 10);
                assertThat(zk.getChildren("/seq").names())
                        .containsExactly(created.path().substring(prefix.length()));
                zk.delete(created.path());
            }
        }
    }
}
