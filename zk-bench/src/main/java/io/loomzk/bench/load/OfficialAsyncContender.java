package io.loomzk.bench.load;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The official client's asynchronous API with as many requests in flight as there are callers:
 * each "caller" is a chain that issues its next request from the previous one's callback. Each
 * chain reuses one callback object, so the client's own cost is what is measured.
 */
final class OfficialAsyncContender extends Contender {
    private final OfficialSessions.Socket socket;
    private volatile ZooKeeper zk;

    /** @param socket the official client's socket implementation this contender uses */
    OfficialAsyncContender(OfficialSessions.Socket socket) {
        this.socket = socket;
    }

    @Override
    String id() {
        return "official-async" + socket.idSuffix;
    }

    @Override
    String label() {
        return "official async" + socket.labelSuffix;
    }

    @Override
    boolean supports(Workload w) {
        return !w.isRecipe() && w != Workload.CACHE;
    }

    @Override
    boolean isAsync() {
        return true;
    }

    @Override
    void open(String connectString, Duration sessionTimeout) throws Exception {
        zk = OfficialSessions.open(connectString, sessionTimeout, socket);
    }

    @Override
    void close() {
        OfficialSessions.close(zk);
    }

    @Override
    AsyncOp asyncOp(Workload w, BenchTree tree, int chain) {
        return new Chain(zk, w, tree);
    }

    /** One chain's op and the callbacks it reuses. */
    private static final class Chain
            implements AsyncOp,
                    AsyncCallback.DataCallback,
                    AsyncCallback.StatCallback,
                    AsyncCallback.StringCallback,
                    AsyncCallback.VoidCallback {
        private final ZooKeeper zk;
        private final Workload workload;
        private final BenchTree tree;
        private Runnable done;
        private Consumer<Throwable> failed;

        Chain(ZooKeeper zk, Workload workload, BenchTree tree) {
            this.zk = zk;
            this.workload = workload;
            this.tree = tree;
        }

        @Override
        public void start(Runnable done, Consumer<Throwable> failed) {
            this.done = done;
            this.failed = failed;
            switch (workload) {
                case GET_DATA -> zk.getData(tree.readPath(), false, this, null);
                case SET_DATA -> zk.setData(tree.writePath(), tree.data(), -1, this, null);
                case CREATE_DELETE ->
                    zk.create(
                            tree.createPrefix(),
                            tree.data(),
                            ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.EPHEMERAL_SEQUENTIAL,
                            (AsyncCallback.StringCallback) this,
                            null);
                case MIX -> {
                    if (ThreadLocalRandom.current().nextInt(10) == 0) {
                        zk.setData(tree.readPath(), tree.data(), -1, this, null);
                    } else {
                        zk.getData(tree.readPath(), false, this, null);
                    }
                }
                case LOCK, RWLOCK, SEMAPHORE ->
                    throw new UnsupportedOperationException("no lock recipe in the official client");
                case CACHE -> throw new UnsupportedOperationException("the cache workload runs in CacheMode");
            }
        }

        private void finish(int rc, String path) {
            if (rc == 0) {
                done.run();
            } else {
                failed.accept(KeeperException.create(KeeperException.Code.get(rc), path));
            }
        }

        @Override
        public void processResult(int rc, String path, Object ctx, byte[] data, Stat stat) {
            finish(rc, path);
        }

        @Override
        public void processResult(int rc, String path, Object ctx, Stat stat) {
            finish(rc, path);
        }

        @Override
        public void processResult(int rc, String path, Object ctx, String name) {
            if (rc == 0) {
                zk.delete(name, -1, this, null); // the second half of create+delete
            } else {
                finish(rc, path);
            }
        }

        @Override
        public void processResult(int rc, String path, Object ctx) {
            finish(rc, path);
        }
    }
}
